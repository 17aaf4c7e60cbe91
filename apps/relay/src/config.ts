import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Settings from the environment, with the defaults a first run needs. */
export interface RelayConfig {
  port: number;
  host: string;
  /** Path of the SQLite file. */
  databasePath: string;
  publicUrl: string | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  heartbeatMs: number;
  widgetDir: string;
  inboxDir: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  return {
    port: env['PORT'] === undefined ? 8787 : Number(env['PORT']),
    host: env['HOST'] ?? '0.0.0.0',
    databasePath: databasePath(env['DATABASE_URL']),
    publicUrl: env['PUBLIC_URL'] || undefined,
    adminEmail: env['PARLEY_ADMIN_EMAIL'] || undefined,
    adminPassword: env['PARLEY_ADMIN_PASSWORD'] || undefined,
    heartbeatMs: env['PARLEY_HEARTBEAT_MS'] ? Number(env['PARLEY_HEARTBEAT_MS']) : 25_000,
    widgetDir: env['PARLEY_WIDGET_DIR'] ?? resolve(repoRoot, 'apps/widget/dist'),
    inboxDir: env['PARLEY_INBOX_DIR'] ?? resolve(repoRoot, 'apps/inbox/dist'),
  };
}

/** `DATABASE_URL` is a path, `file:path` or `sqlite:path`; default `./data/parley.db`. */
export function databasePath(url: string | undefined): string {
  if (!url) return resolve('data/parley.db');
  if (/^postgres(ql)?:/.test(url)) {
    throw new Error('DATABASE_URL: the Postgres store is not available yet; use a SQLite file path');
  }
  const path = url.replace(/^(sqlite|file):(\/\/)?/, '');
  return path === ':memory:' ? path : resolve(path);
}
