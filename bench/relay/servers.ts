import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { USAGE_PATH } from '../yardsticks/usage.ts';
import { benchDir, repoRoot, type ServerName } from './options.ts';

export const ADMIN_EMAIL = 'bench@example.com';
export const ADMIN_PASSWORD = 'bench-password-not-secret';

export interface RunningServer {
  name: ServerName;
  pid: number;
  port: number;
  /** Parley only: the first site's key, from the banner. */
  siteKey: string | null;
  /** CPU time of the whole process (all threads) in µs, from /proc/<pid>/stat (utime + stime). */
  cpuUs(): number;
  /** Resident set size in KiB, from /proc/<pid>/status (VmRSS). */
  rssKb(): number;
  /** The yardsticks' own `process.cpuUsage()`; null for Parley, which has no such endpoint. */
  selfCpuUs(): Promise<number | null>;
  /** The last lines the server printed (for errors). */
  logTail(): string;
  stop(): Promise<void>;
}

const CLOCK_TICK_US = 1_000_000 / clockTicks();

export const hasTaskset = spawnSync('taskset', ['--version']).status === 0;

/**
 * The Node flags `pnpm start` runs the relay with (package.json), so the bench runs it the same way.
 * A young generation of 32 MB: with 4 MB, a message still waiting for its commit outlived two
 * scavenges and was promoted, the old generation filled at ~20 MB/s at 10,000 msg/s, and its
 * full GCs every second or two made 30–60 ms turns, the p99. It costs ~2 KB RSS per idle
 * visitor at 19,900 visitors, a fixed ~40 MB (docs/performance.md).
 */
export const RELAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];

/**
 * Starts one server as users run it, in a shell that raises the open-file limit to the hard
 * limit and pins the process to core 0. `exec` keeps the pid, so /proc/<pid> is the server's.
 */
export async function startServer(
  name: ServerName,
  options: { pin: boolean; dbDir: string | undefined; profileDir?: string | undefined; parleyFlags?: string[] | undefined },
): Promise<RunningServer> {
  let dbFolder: string | null = null;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1' };
  let script: string;
  if (name === 'parley' || name === 'parley-mem') {
    script = resolve(repoRoot, 'apps/relay/src/main.ts');
    if (name === 'parley') {
      dbFolder = mkdtempSync(join(options.dbDir ?? tmpdir(), 'parley-bench-'));
      env['DATABASE_URL'] = join(dbFolder, 'parley.db');
    } else {
      env['DATABASE_URL'] = ':memory:';
    }
    env['PARLEY_ADMIN_EMAIL'] = ADMIN_EMAIL;
    env['PARLEY_ADMIN_PASSWORD'] = ADMIN_PASSWORD;
    // The driver sets X-Forwarded-For per visitor so that per-address limits see many visitors, not one.
    env['TRUST_PROXY'] = '1';
  } else {
    script = resolve(benchDir, name === 'ws' ? 'yardsticks/ws-room.ts' : 'yardsticks/socketio-room.ts');
  }
  const pin = options.pin && hasTaskset ? 'taskset -c 0 ' : '';
  // `--cpu-prof` writes a .cpuprofile when the process exits (the relay exits on SIGTERM).
  const nodeFlags = name.startsWith('parley') ? [...(options.parleyFlags ?? RELAY_NODE_FLAGS)] : [];
  if (options.profileDir && name.startsWith('parley')) {
    nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`);
  }
  const child = spawn('bash', ['-c', `ulimit -n "$(ulimit -Hn)" && exec ${pin}"$0" "$@"`, process.execPath, ...nodeFlags, script], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let removeEarly = () => {};
  const ready = await new Promise<{ port: number; siteKey: string | null }>((resolvePromise, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within 20 s:\n${output}`)), 20_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const yardstick = /listening (\d+)/.exec(output);
      const parley = /Parley is running at http:\/\/[^:]+:(\d+)/.exec(output);
      const site = /data-site="(site_[\w-]+)"/.exec(output);
      if (yardstick) done({ port: Number(yardstick[1]), siteKey: null });
      else if (parley && site) done({ port: Number(parley[1]), siteKey: site[1]! });
    };
    const done = (value: { port: number; siteKey: string | null }) => {
      clearTimeout(timer);
      removeEarly();
      child.stdout!.off('data', onData);
      resolvePromise(value);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const early = (code: number | null) => fail(new Error(`${name} exited with ${code} before it was ready:\n${output}`));
    child.once('exit', early);
    removeEarly = () => child.off('exit', early);
  });
  // Keep draining its output so a chatty server never blocks on a full pipe; keep the tail for errors.
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(chunk.toString());
    if (tail.length > 50) tail.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const pid = child.pid!;
  return {
    name,
    pid,
    port: ready.port,
    siteKey: ready.siteKey,
    cpuUs: () => procCpuUs(pid),
    rssKb: () => procRssKb(pid),
    async selfCpuUs() {
      if (name === 'parley' || name === 'parley-mem') return null;
      const response = await fetch(`http://127.0.0.1:${ready.port}${USAGE_PATH}`);
      return ((await response.json()) as { cpuUs: number }).cpuUs;
    },
    async stop() {
      await stopChild(child);
      if (dbFolder) rmSync(dbFolder, { recursive: true, force: true });
    },
    logTail: () => tail.join(''),
  };
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** utime + stime of the whole thread group (fields 14 and 15 of /proc/<pid>/stat), in µs. */
export function procCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_US;
}

export function procRssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

/** Threads of a process (for the report: the relay's libuv and V8 threads share its core). */
export function threadCount(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).length;
}

function clockTicks(): number {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(result.stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
}
