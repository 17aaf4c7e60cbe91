import { Hono } from 'hono';
import type { AppDeps, AppEnv } from './env.ts';
import { ownOrigin } from './origin.ts';
import { scriptTag } from './snippet.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** `/demo`: a plain page embedding the first site's widget, to try Parley as a visitor. */
export function demoPage(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/demo', async (c) => {
    const site = await deps.store.firstSite();
    if (!site) return c.text('No site yet', 404);
    const origin = ownOrigin(c, deps) ?? '';
    const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley demo — ${escapeHtml(site.name)}</title>
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<main>
  <h1>Parley demo</h1>
  <p>This page embeds the widget of <strong>${escapeHtml(site.name)}</strong>, exactly as a site owner would.
  Open the chat bubble in the corner and say hello; answer from the <a href="/inbox/">inbox</a> in another window.
  Sign in to the inbox first: while no agent is online, the widget offers to leave a message (with an email for the
  reply) instead of a live chat.</p>
  <p>The tag on this page:</p>
  <pre><code>${escapeHtml(scriptTag(origin, site.key))}</code></pre>
</main>
${scriptTag(origin, site.key)}
</body>
</html>`;
    return c.html(html);
  });
  app.get('/demo.css', (c) =>
    c.body(
      `body{font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#f9fafb;margin:0}
main{max-width:720px;margin:64px auto;padding:0 24px}h1{font-size:28px;margin:0 0 16px}
pre{background:#111827;color:#e5e7eb;padding:16px;border-radius:8px;overflow:auto;font-size:13px}a{color:#4f46e5}`,
      200,
      { 'Content-Type': 'text/css; charset=utf-8' },
    ),
  );
  return app;
}
