import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryPresence } from '../core/presence.ts';
import { createRateLimits } from '../core/rate-limit.ts';
import { createMemoryBus } from '../fanout/memory-bus.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { tempDir } from '../testing/temp-dir.ts';
import { createApp } from './app.ts';

/** The built front-ends as the relay serves them: the right files, the right headers, nothing else. */

const dir = tempDir('parley-static-');
const store = createSqliteStore({ filename: dir.file('static.db') });
let app: ReturnType<typeof createApp>;

beforeAll(() => {
  const widget = dir.file('widget');
  const inbox = dir.file('inbox');
  mkdirSync(join(widget, 'widget'), { recursive: true });
  mkdirSync(join(inbox, 'assets'), { recursive: true });
  writeFileSync(join(widget, 'widget.js'), 'console.log("loader")');
  writeFileSync(join(widget, 'widget', 'panel-abcdef12.js'), 'export {}');
  writeFileSync(join(inbox, 'index.html'), '<!doctype html><title>Inbox</title>');
  writeFileSync(join(inbox, 'assets', 'index-abcdef12.js'), 'export {}');
  // Files beside the served folders that must never be reachable through them.
  writeFileSync(dir.file('secret.txt'), 'not for the web');
  app = createApp({
    store, bus: createMemoryBus(), presence: createMemoryPresence(), limits: createRateLimits(), now: Date.now,
    heartbeatMs: 1000, log: () => {}, publicUrl: undefined, widgetDir: widget, inboxDir: inbox, version: 'test', secureCookies: false,
  });
});
afterAll(async () => {
  await store.close();
  dir.remove();
});

describe('static files', () => {
  it('serves the inbox shell with a strict Content-Security-Policy and no caching', async () => {
    const response = await app.request('/inbox/');
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // Client-side routes get the same shell.
    expect((await app.request('/inbox/settings/sites')).headers.get('content-security-policy')).toBe(csp);
  });

  it('serves hashed assets as immutable, and a missing asset as 404, not the shell', async () => {
    const asset = await app.request('/inbox/assets/index-abcdef12.js');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await app.request('/inbox/assets/nope.js')).status).toBe(404);
  });

  it('serves the widget and its chunks cross-origin', async () => {
    const loader = await app.request('/widget.js');
    expect(loader.status).toBe(200);
    expect(loader.headers.get('content-type')).toContain('javascript');
    const chunk = await app.request('/widget/panel-abcdef12.js');
    expect(chunk.headers.get('access-control-allow-origin')).toBe('*');
    expect(chunk.headers.get('cache-control')).toContain('immutable');
  });

  it('never serves a file outside its folder, however the path is written', async () => {
    for (const path of [
      '/inbox/../secret.txt',
      '/inbox/%2e%2e/secret.txt',
      '/inbox/%2e%2e%2fsecret.txt',
      '/inbox/..%5csecret.txt',
      '/inbox/assets/%2e%2e/%2e%2e/secret.txt',
      '/widget/%2e%2e/%2e%2e/secret.txt',
      '/widget/..%2f..%2fsecret.txt',
      '/inbox/%00index.html',
      '/inbox/%E0%A4%A',
    ]) {
      const response = await app.request(path);
      expect(await response.text(), path).not.toContain('not for the web');
    }
  });
});
