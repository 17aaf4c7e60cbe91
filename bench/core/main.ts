/**
 * `pnpm bench:core`: what one chat message costs the relay's core, in process (core-run.ts).
 *
 * The heap a message allocates is the figure to watch: with a young generation large enough that
 * no GC runs in the window, the heap's growth per message repeats to within about 1 % between
 * runs, while CPU time on a shared machine does not. Use it to measure a change to the message
 * path in JavaScript; use `pnpm bench` for what the whole relay does on a socket.
 *
 *   node bench/core/main.ts [--visitors 500] [--messages 5000] [--db memory|file] [--runs 3]
 *                           [--allocations 25]   (where the allocation comes from, by function)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCore, type CoreRunOptions, type CoreRunResult } from './core-run.ts';
import { summariseAllocations, type SamplingProfile } from './allocations.ts';

const YOUNG_GENERATION_MB = 512;

const { values } = parseArgs({
  options: {
    visitors: { type: 'string', default: '500' },
    messages: { type: 'string', default: '5000' },
    db: { type: 'string', default: 'memory' },
    runs: { type: 'string', default: '3' },
    allocations: { type: 'string' },
    'save-profile': { type: 'string' },
  },
});

const count = (name: string, raw: string | undefined, max: number): number => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    console.error(`--${name} must be a whole number from 1 to ${max}, got "${raw}"`);
    process.exit(2);
  }
  return value;
};
const visitors = count('visitors', values.visitors, 20_000);
const messages = count('messages', values.messages, 200_000);
const runs = count('runs', values.runs, 20);
const top = values.allocations === undefined || values.allocations === '0' ? 0 : count('allocations', values.allocations, 200);
if (values.db !== 'memory' && values.db !== 'file') {
  console.error(`--db must be memory or file, got "${values.db}"`);
  process.exit(2);
}
const db = values.db;

const kb = (bytes: number) => (bytes / 1024).toFixed(2);

if (process.env['PARLEY_BENCH_CORE_CHILD'] === '1') {
  // One run in this process; the parent prints it.
  const options: CoreRunOptions = { visitors, messages, db };
  let profile: SamplingProfile | null = null;
  if (top > 0) {
    const session = new Session();
    session.connect();
    options.around = {
      before: async () => {
        await session.post('HeapProfiler.startSampling', {
          samplingInterval: 64,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
      },
      after: async () => {
        profile = (await session.post('HeapProfiler.stopSampling')).profile as SamplingProfile;
        session.disconnect();
      },
    };
  }
  const result = await runCore(options);
  if (profile && values['save-profile']) writeFileSync(values['save-profile'], JSON.stringify(profile));
  const lines = profile ? summariseAllocations(profile, messages, top) : [];
  process.stdout.write(`${JSON.stringify({ result, lines })}\n`);
  process.exit(0);
}

/**
 * Each run is a process of its own, with a young generation no window fills: a second run in the
 * same process met code the JIT had optimised further and allocated less, which is not the figure.
 * The allocation profile is an extra run, without inlining, so that each allocation is charged to
 * the function that makes it (and so its total is not comparable to the runs').
 */
function child(profile: boolean): { result: CoreRunResult; lines: string[] } {
  const flags = [`--min-semi-space-size=${YOUNG_GENERATION_MB}`, `--max-semi-space-size=${YOUNG_GENERATION_MB}`];
  if (profile) flags.push('--no-turbo-inlining', '--max-inlined-bytecode-size=0');
  const args = [...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  if (!profile) args.push('--allocations', '0');
  const run = spawnSync(process.execPath, args, {
    env: { ...process.env, PARLEY_BENCH_CORE_CHILD: '1' },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0) {
    console.error(run.stderr || run.stdout);
    process.exit(1);
  }
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as { result: CoreRunResult; lines: string[] };
}

console.log(`core in process: SQLite ${db === 'memory' ? ':memory:' : 'file (synchronous=FULL)'}, ${visitors} visitors, ${messages} messages per run, Node ${process.version}`);
const heap: number[] = [];
for (let run = 1; run <= runs; run++) {
  const { result } = child(false);
  heap.push(result.heapBytesPerMessage);
  console.log(
    `run ${run}: ${kb(result.heapBytesPerMessage)} KB allocated per message${result.gcInWindow ? ' (a GC ran: undercounted)' : ''}, ` +
      `${result.cpuUsPerMessage.toFixed(1)} µs CPU per message, ${kb(result.bytesOutPerMessage)} KB of frames out per message`,
  );
}
const sorted = [...heap].sort((a, b) => a - b);
console.log(`median: ${kb(sorted[Math.floor((sorted.length - 1) / 2)]!)} KB allocated per message`);
if (top > 0) {
  console.log(`\nwhere it is allocated (an extra run, sampled, inlining off; bytes per message):`);
  for (const line of child(true).lines) console.log(`  ${line}`);
}
