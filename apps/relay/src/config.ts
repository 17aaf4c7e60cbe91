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
  trustProxy: boolean;
  widgetDir: string;
  inboxDir: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  return {
    port: env['PORT'] === undefined || env['PORT'] === '' ? 8787 : port(env['PORT']),
    host: env['HOST'] ?? '0.0.0.0',
    databasePath: databasePath(env['DATABASE_URL']),
    publicUrl: env['PUBLIC_URL'] || undefined,
    adminEmail: env['PARLEY_ADMIN_EMAIL'] || undefined,
    adminPassword: env['PARLEY_ADMIN_PASSWORD'] || undefined,
    heartbeatMs: positiveInteger(env, 'PARLEY_HEARTBEAT_MS', 25_000),
    trustProxy: env['TRUST_PROXY'] === '1' || env['TRUST_PROXY'] === 'true',
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

/** A bad setting stops the start with a clear message instead of misbehaving later. */
function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number of milliseconds, got "${raw}"`);
  return value;
}

function port(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`PORT must be a port number (0–65535), got "${raw}"`);
  return value;
}
