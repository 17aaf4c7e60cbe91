import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { parseOptions, repoRoot, USAGE, type BenchOptions } from './options.ts';
import { markdown, ratios, summarize, svgChart, targets, fmt } from './report.ts';
import { otherBenchmarksMarkdown, otherBenchmarksTarget, readOtherBenchmarks } from './other-benchmarks.ts';
import { runServer, running, type RunResult } from './run.ts';
import { hasTaskset } from './servers.ts';

/**
 * `pnpm bench`: Parley's relay beside a bare `ws` room relay and a Socket.IO room relay, in one
 * run, servers alternating within each round. This process is the load driver; every server runs
 * in a child process of its own. See docs/performance.md for the method.
 */
const argv = process.argv.slice(2);
let options: BenchOptions;
try {
  options = parseOptions(argv);
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}

if (process.env['PARLEY_BENCH_DRIVER'] !== '1') {
  // Re-run this driver in a shell that raises the open-file limit (thousands of sockets) and pins
  // it to core 1, away from the server on core 0. `exec` keeps one process.
  const pin = options.pin && hasTaskset ? 'taskset -c 1 ' : '';
  const child = spawn('bash', ['-c', `ulimit -n "$(ulimit -Hn)" && exec ${pin}"$0" "$@"`, process.execPath, ...process.execArgv, process.argv[1]!, ...argv], {
    stdio: 'inherit',
    env: { ...process.env, PARLEY_BENCH_DRIVER: '1' },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void Promise.all([...running].map((server) => server.stop())).finally(() => process.exit(130));
    });
  }
  await main(options);
}

async function main(options: BenchOptions) {
  const started = performance.now();
  const pinning = options.pin && hasTaskset ? 'server pinned to core 0, driver to core 1 (taskset)' : 'not pinned';
  console.log(`parley bench: ${options.servers.join(', ')}; ${options.connections} visitor connections; ${options.only === 'idle' ? 'idle only' : `rates ${options.rates.join(', ')} msg/s × ${options.duration} s`}; ${options.rounds} round(s); ${pinning}`);
  // The relay allows a visitor 30 messages a minute (core/rate-limit.ts); a run that needs more would measure refusals.
  const perVisitor = options.rates.reduce((n, rate) => n + rate * (options.duration + options.warmup), 0) / options.connections;
  if (options.only === 'all' && perVisitor > 28) {
    console.warn(`warning: each visitor would send ${perVisitor.toFixed(0)} messages in about a minute; Parley allows 30 per minute: raise --connections or lower --rates`);
  }
  const runs: RunResult[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    // Alternate the order each round so that drift (thermal, page cache, the disk) spreads over all servers.
    const order = round % 2 === 1 ? options.servers : [...options.servers].reverse();
    for (const server of order) {
      const result = await runServer(server, round, options);
      runs.push(result);
      printRun(result);
    }
  }

  const summaries = summarize(runs, options);
  const rs = ratios(summaries, options.refRate);
  const ts = options.only === 'idle' ? targets(summaries, [], options.refRate).slice(0, 1) : targets(summaries, rs, options.refRate);
  // The widget, inbox and search figures are not measured here: the latest results of their own
  // benchmarks, from --out if they are there, else from bench/results (see readOtherBenchmarks).
  const others = readOtherBenchmarks(options.outDir);
  const otherLines = otherBenchmarksMarkdown(others);
  ts.push(otherBenchmarksTarget(others));
  const cpu = cpus();
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    pinning,
    command: `pnpm bench ${argv.join(' ')}`.trim(),
    durationS: Math.round((performance.now() - started) / 1000),
  };
  mkdirSync(options.outDir, { recursive: true });
  const base = join(options.outDir, options.name);
  writeFileSync(`${base}.json`, `${JSON.stringify({ meta, options, summaries, ratios: rs, targets: ts, runs }, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown(meta, summaries, rs, ts, runs, options.refRate, otherLines));
  if (options.only !== 'idle') writeFileSync(`${base}.svg`, svgChart(summaries, `p99 visitor→agent latency, ${options.connections} visitors, ${options.size}-byte frames`));

  console.log('\nRatios (Parley ÷ yardstick, CPU per message):');
  for (const r of rs) console.log(`  ${r.of.padEnd(10)} ÷ ${r.to.padEnd(8)} ${r.cpuByRate.map((x) => `${x.rate}/s ${fmt(x.ratio, 2)}×`).join('  ')}   RSS/conn ${r.rssPerConn === null ? '–' : `${fmt(r.rssPerConn, 2)}×`}`);
  console.log('');
  for (const line of otherLines) console.log(line.replace(/^## (.*)/, '$1:').replaceAll('**', ''));
  console.log('\nTargets:');
  for (const t of ts) console.log(`  ${t.met === null ? '·' : t.met ? '✓' : '✗'} ${t.name}: ${t.measured} (goal ${t.goal})`);
  console.log(`\nwrote ${relative(repoRoot, base)}.{json,md${options.only !== 'idle' ? ',svg' : ''}} in ${meta.durationS} s`);
  if (runs.some((r) => r.error !== null)) process.exitCode = 1;
}

function printRun(r: RunResult) {
  const head = `[round ${r.round}] ${r.server.padEnd(10)}`;
  const i = r.idle;
  console.log(`${head} idle: ${i.connections} conns, ${fmt(i.rssPerConnKb, 1)} KB RSS each, connect ${fmt(i.connectPerSec, 0)}/s`);
  for (const s of r.steps) {
    console.log(`${head} ${String(s.rate).padStart(6)} msg/s: p50 ${fmt(s.p50Ms, 2)} p95 ${fmt(s.p95Ms, 2)} p99 ${fmt(s.p99Ms, 2)} max ${fmt(s.maxMs, 1)} ms; ${fmt(s.cpuUsPerMsg, 1)} µs CPU/msg${s.selfCpuUsPerMsg === null ? '' : ` (self-reported ${fmt(s.selfCpuUsPerMsg, 1)})`}; server ${fmt(s.serverCpuPct, 0)}% driver ${fmt(s.driverCpuPct, 0)}% CPU${s.stealPct === null ? '' : `, stolen ${fmt(s.stealPct, 0)}%`}; delivered ${s.delivered}/${s.sent}${s.acked === null ? '' : `, acked ${s.acked}`}${s.saturated ? ' SATURATED' : ''}`);
  }
  if (r.storm) {
    const s = r.storm;
    console.log(`${head} storm: ${s.resumed}/${s.clients} resumed in ${fmt(s.ms, 0)} ms, missed ${s.missed ?? 'n/a'}, errors ${s.errors}, longest stall ${fmt(s.maxStallMs, 0)} ms`);
  }
  if (r.error) console.log(`${head} FAILED: ${r.error}`);
}
