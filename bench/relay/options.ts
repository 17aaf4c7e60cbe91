import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_NAMES = ['ws', 'socketio', 'parley-mem', 'parley'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

export const benchDir = resolve(fileURLToPath(import.meta.url), '../..');
export const repoRoot = resolve(benchDir, '..');

export interface BenchOptions {
  /** Visitor connections held open per server (the yardsticks add one agent socket per visitor). */
  connections: number;
  /** Parley agent sockets; each receives every visitor message of the workspace. */
  agents: number;
  /** Offered loads in messages per second, one measured step each (ascending). */
  rates: number[];
  /** Measured seconds per load step. */
  duration: number;
  /** Unmeasured seconds of load before each step's window. */
  warmup: number;
  /** Bytes of each visitor frame (JSON text). */
  size: number;
  rounds: number;
  servers: ServerName[];
  /** Connections opened at once while measuring the connect rate. */
  connectConcurrency: number;
  /** Which phases to run: everything, or only the idle-connection capacity check. */
  only: 'all' | 'idle';
  /** Rate whose CPU/message is the headline of the ratios. */
  refRate: number;
  /** Where JSON, Markdown and SVG go; their base name. */
  outDir: string;
  name: string;
  /** Folder for Parley's temporary SQLite files (should be on the disk users would run on). */
  dbDir: string | undefined;
  pin: boolean;
  quick: boolean;
  /** Write a V8 CPU profile of each Parley server process here (`node --cpu-prof`). */
  profileDir: string | undefined;
  /** Node flags for the Parley servers, in place of those `pnpm start` uses. */
  parleyFlags: string[] | undefined;
}

export const USAGE = `pnpm bench [options]
  --connections N      visitor connections per server (default 2000; --quick 20)
  --agents N           Parley agent sockets, each gets every message (default 1)
  --rates a,b,c        offered loads in msg/s (default 1000,2000,10000; --quick 200)
  --duration S         measured seconds per load step (default 2; --quick 1)
  --warmup S           unmeasured seconds before each step (default 0.5; --quick 0.3)
  --size B             bytes per visitor frame (default 120)
  --rounds N           rounds, servers alternating within each (default 2; --quick 1)
  --servers a,b        subset of ${SERVER_NAMES.join(',')} (default all)
  --only idle          only open idle connections and report RSS per connection
  --ref-rate R         load step whose CPU/message heads the ratios (default: the middle rate)
  --out DIR            results folder (default bench/results)
  --name NAME          base name of the result files (default relay)
  --db-dir DIR         folder for Parley's SQLite files (default the OS temp folder)
  --profile DIR        write a --cpu-prof profile of each Parley process into DIR
  --parley-flags "F"   Node flags for Parley instead of those \`pnpm start\` uses ("" for none)
  --no-pin             do not pin server (core 0) and driver (core 1) with taskset
  --quick              a tiny run (a few connections, ~1 s per phase) for the smoke test`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      connections: { type: 'string' },
      agents: { type: 'string' },
      rates: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      size: { type: 'string' },
      rounds: { type: 'string' },
      servers: { type: 'string' },
      'connect-concurrency': { type: 'string' },
      only: { type: 'string' },
      'ref-rate': { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      'db-dir': { type: 'string' },
      'no-pin': { type: 'boolean' },
      profile: { type: 'string' },
      'parley-flags': { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const rates = list(values.rates, quick ? '200' : '1000,2000,10000').map((r) => positive('rates', r, 1_000_000));
  rates.sort((a, b) => a - b);
  const servers = list(values.servers, SERVER_NAMES.join(',')).map((name) => {
    if (!(SERVER_NAMES as readonly string[]).includes(name)) throw new Error(`--servers: unknown server ${name}`);
    return name as ServerName;
  });
  const only = values.only ?? 'all';
  if (only !== 'all' && only !== 'idle') throw new Error('--only: all or idle');
  const options: BenchOptions = {
    connections: positive('connections', values.connections ?? (quick ? '20' : '2000'), 30_000),
    agents: positive('agents', values.agents ?? '1', 100),
    rates,
    duration: positive('duration', values.duration ?? (quick ? '1' : '2'), 600),
    warmup: nonNegative('warmup', values.warmup ?? (quick ? '0.3' : '0.5'), 60),
    size: positive('size', values.size ?? '120', 60_000),
    rounds: positive('rounds', values.rounds ?? (quick ? '1' : '2'), 20),
    servers,
    connectConcurrency: positive('connect-concurrency', values['connect-concurrency'] ?? '200', 10_000),
    only,
    refRate: values['ref-rate'] ? positive('ref-rate', values['ref-rate'], 1_000_000) : rates[Math.floor((rates.length - 1) / 2)]!,
    outDir: resolve(values.out ?? resolve(benchDir, 'results')),
    name: values.name ?? 'relay',
    dbDir: values['db-dir'] ? resolve(values['db-dir']) : undefined,
    pin: !(values['no-pin'] ?? false),
    profileDir: values.profile ? resolve(values.profile) : undefined,
    parleyFlags: values['parley-flags'] === undefined ? undefined : values['parley-flags'].split(/\s+/).filter(Boolean),
    quick,
  };
  if (options.size < 80) throw new Error('--size: at least 80 bytes (the frame needs room for its fields)');
  if (!options.rates.includes(options.refRate)) throw new Error('--ref-rate must be one of --rates');
  return options;
}

function list(value: string | undefined, fallback: string): string[] {
  return (value ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
}

function positive(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name}: expected a number in (0, ${max}], got ${value}`);
  return n;
}

function nonNegative(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new Error(`--${name}: expected a number in [0, ${max}], got ${value}`);
  return n;
}
