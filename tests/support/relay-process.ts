import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port.ts';

const repoRoot = resolve(import.meta.dirname, '../..');

export const ADMIN = { email: 'admin@parley.test', password: 'correct horse battery staple' };

export interface RelayProcess {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  siteKey: string;
  databasePath: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Kills the process with the given signal and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and database. */
  restart(): Promise<void>;
  /** Kills it and removes its database. */
  dispose(): Promise<void>;
}

/**
 * Runs the relay as users run it (`node apps/relay/src/main.ts`) in a child process, on a free
 * port with a temporary database, so tests can kill -9 it and start it again.
 */
export async function startRelayProcess(env: Record<string, string> = {}): Promise<RelayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  const databasePath = join(dir, 'parley.db');
  const port = await freePort();
  let child: ChildProcess | null = null;
  let out = '';

  const launch = async () => {
    out = '';
    child = spawn(process.execPath, [join(repoRoot, 'apps/relay/src/main.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databasePath,
        PARLEY_ADMIN_EMAIL: ADMIN.email,
        PARLEY_ADMIN_PASSWORD: ADMIN.password,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`relay exited with ${child.exitCode}:\n${out}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`relay did not become healthy:\n${out}`);
  };

  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((done) => {
      running.once('exit', () => done());
      running.kill(signal);
    });
  };

  await launch();
  const siteKey = /data-site="([\w-]+)"/.exec(out)?.[1];
  if (!siteKey) throw new Error(`no site key in the relay's banner:\n${out}`);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    siteKey,
    databasePath,
    output: () => out,
    kill,
    restart: launch,
    async dispose() {
      await kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
