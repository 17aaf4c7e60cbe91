import { Hono } from 'hono';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AppDeps, AppEnv } from './env.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The inbox's own policy: nothing inline, nothing from elsewhere, never framed. */
const INBOX_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** Serves the built widget and inbox. Files are read per request: small, and `pnpm build` may replace them. */
export function staticRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/widget.js', async (c) => {
    const file = await readIfFile(join(deps.widgetDir, 'widget.js'));
    if (!file) return c.text('widget.js is not built: run `pnpm build`', 503);
    return c.body(new Uint8Array(file), 200, {
      'Content-Type': TYPES['.js']!,
      // Short: a redeploy reaches every visitor within minutes.
      'Cache-Control': 'public, max-age=300',
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  // The widget's lazily loaded parts (panel, locales). CORS-readable: a module script or a
  // fetch from the host page's origin needs it; nothing here is secret.
  app.get('/widget/*', async (c) => {
    const target = safeJoin(deps.widgetDir, c.req.path.slice('/'.length));
    const file = target ? await readIfFile(target) : null;
    if (!file || !target) return c.text('Not found', 404);
    return c.body(new Uint8Array(file), 200, {
      'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream',
      // Chunk names carry a content hash when the build gives them one; short-lived otherwise.
      'Cache-Control': /-[\w-]{8,}\.\w+$/.test(target) ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  app.get('/inbox', (c) => c.redirect('/inbox/', 301));
  app.get('/inbox/*', async (c) => {
    const relative = c.req.path.slice('/inbox/'.length);
    const target = safeJoin(deps.inboxDir, relative);
    let file = target ? await readIfFile(target) : null;
    let type = target ? TYPES[extname(target)] : undefined;
    const isAsset = relative.startsWith('assets/');
    if (!file && !isAsset) {
      // Client-side routes fall back to the app shell.
      file = await readIfFile(join(deps.inboxDir, 'index.html'));
      type = TYPES['.html'];
      if (!file) return c.text('The inbox is not built: run `pnpm build`', 503);
    }
    if (!file) return c.text('Not found', 404);
    const headers: Record<string, string> = {
      'Content-Type': type ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      // Vite names assets by content hash, so they never change; the shell must always be fresh.
      'Cache-Control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (type === TYPES['.html']) headers['Content-Security-Policy'] = INBOX_CSP;
    return c.body(new Uint8Array(file), 200, headers);
  });

  return app;
}

function safeJoin(root: string, relative: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = normalize(join(root, decoded || 'index.html'));
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

async function readIfFile(path: string): Promise<Buffer | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? await readFile(path) : null;
  } catch {
    return null;
  }
}
