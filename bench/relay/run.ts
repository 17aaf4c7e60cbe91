import { createAdapter, pool, startProbe, until, type Hooks, type StormResult, type Visitor } from './clients.ts';
import type { BenchOptions, ServerName } from './options.ts';
import { startServer, threadCount, type RunningServer } from './servers.ts';
import { stealPct, stealTicks } from './steal.ts';

export interface IdleResult {
  connections: number;
  connectMs: number;
  /** Connections per second with `connectConcurrency` handshakes in flight (Parley: through `resumed`). */
  connectPerSec: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  rssPerConnKb: number;
}

export interface StepResult {
  /** Offered load, msg/s (open loop: sends follow the clock, not the replies). */
  rate: number;
  /** Messages sent in the measured window, and how many of those reached an agent / were acked. */
  sent: number;
  delivered: number;
  acked: number | null;
  /** Sending stopped early: more than a second of messages was outstanding. */
  saturated: boolean;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Server CPU (all threads, /proc utime+stime) per message sent in the window. */
  cpuUsPerMsg: number;
  /** The same from the server's own `process.cpuUsage()` (yardsticks only): a cross-check. */
  selfCpuUsPerMsg: number | null;
  serverCpuPct: number;
  driverCpuPct: number;
  /** CPU the hypervisor took for other guests during the window (null where unknown): see steal.ts. */
  stealPct: number | null;
}

export interface RunResult {
  round: number;
  server: ServerName;
  serverThreads: number;
  idle: IdleResult;
  steps: StepResult[];
  storm: (StormResult & { maxStallMs: number }) | null;
  error: string | null;
}

/** Latency is measured from each message's scheduled send time, so a slow driver or server cannot hide its queueing. */
class Tracker {
  prefix = '';
  start = 0;
  rate = 1;
  warm = 0;
  delivered = new Uint8Array(0);
  acked = new Uint8Array(0);
  deliveredCount = 0;
  deliveredMeasured = 0;
  ackedCount = 0;
  ackedMeasured = 0;
  latencies = new Float64Array(0);
  latencyCount = 0;

  begin(prefix: string, start: number, rate: number, warm: number, total: number) {
    Object.assign(this, { prefix, start, rate, warm });
    this.delivered = new Uint8Array(total);
    this.acked = new Uint8Array(total);
    this.latencies = new Float64Array(total - warm);
    this.deliveredCount = this.deliveredMeasured = this.ackedCount = this.ackedMeasured = this.latencyCount = 0;
  }

  private indexOf(clientId: string): number {
    if (!clientId.startsWith(this.prefix)) return -1;
    const k = Number(clientId.slice(this.prefix.length));
    return Number.isInteger(k) && k >= 0 && k < this.delivered.length ? k : -1;
  }

  readonly hooks: Hooks = {
    delivered: (clientId) => {
      const k = this.indexOf(clientId);
      // Several Parley agent sockets may each get the message: the first one counts.
      if (k < 0 || this.delivered[k]) return;
      this.delivered[k] = 1;
      this.deliveredCount++;
      if (k >= this.warm) {
        this.deliveredMeasured++;
        this.latencies[this.latencyCount++] = performance.now() - (this.start + (k * 1000) / this.rate);
      }
    },
    acked: (clientId) => {
      const k = this.indexOf(clientId);
      if (k < 0 || this.acked[k]) return;
      this.acked[k] = 1;
      this.ackedCount++;
      if (k >= this.warm) this.ackedMeasured++;
    },
  };
}

/** Servers started and not yet stopped, so an interrupted bench leaves no relay behind. */
export const running = new Set<RunningServer>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a server; retries once, since a relay mid-edit by a colleague may fail to import for a moment. */
async function start(name: ServerName, options: BenchOptions): Promise<RunningServer> {
  const settings = { pin: options.pin, dbDir: options.dbDir, profileDir: options.profileDir, parleyFlags: options.parleyFlags };
  try {
    return await startServer(name, settings);
  } catch (error) {
    console.error(`[bench] ${name} failed to start, retrying in 3 s: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    await sleep(3000);
    return startServer(name, settings);
  }
}

export async function runServer(name: ServerName, round: number, options: BenchOptions): Promise<RunResult> {
  let server: RunningServer;
  try {
    server = await start(name, options);
  } catch (error) {
    return {
      round, server: name, serverThreads: 0,
      idle: { connections: 0, connectMs: 0, connectPerSec: 0, rssBeforeKb: 0, rssAfterKb: 0, rssPerConnKb: 0 },
      steps: [], storm: null, error: error instanceof Error ? error.message : String(error),
    };
  }
  running.add(server);
  const tracker = new Tracker();
  let probe: ReturnType<typeof startProbe> | undefined;
  const adapter = createAdapter(server, tracker.hooks, options.size);
  const result: RunResult = {
    round, server: name, serverThreads: threadCount(server.pid),
    idle: { connections: 0, connectMs: 0, connectPerSec: 0, rssBeforeKb: 0, rssAfterKb: 0, rssPerConnKb: 0 },
    steps: [], storm: null, error: null,
  };
  try {
    await sleep(300);
    const rssBeforeKb = server.rssKb();
    const t0 = performance.now();
    const visitors = await pool(options.connections, options.connectConcurrency, (i) => adapter.openVisitor(i));
    const connectMs = performance.now() - t0;
    await sleep(1000); // let the allocator settle before reading RSS
    const rssAfterKb = server.rssKb();
    result.idle = {
      connections: visitors.length, connectMs, connectPerSec: (visitors.length / connectMs) * 1000,
      rssBeforeKb, rssAfterKb, rssPerConnKb: (rssAfterKb - rssBeforeKb) / visitors.length,
    };
    if (options.only === 'idle') return result;

    await adapter.openAgents(name === 'parley' || name === 'parley-mem' ? options.agents : visitors.length);
    await adapter.openConversations?.();
    await sleep(1000); // the handshakes' garbage is collected before the first step, not during it
    for (const [i, rate] of options.rates.entries()) {
      result.steps.push(await loadStep(server, visitors, tracker, `r${round}s${i}_`, rate, options, name.startsWith('parley')));
      await sleep(200);
    }
    const stormProbe = (probe = startProbe(adapter.probeUrl, adapter.probeHeaders));
    await stormProbe.opened;
    // The stall is measured from the reconnect on: the setup (Parley's agent replies) is not the storm.
    const storm = await adapter.storm(round, () => stormProbe.reset());
    probe = undefined;
    result.storm = { ...storm, ...stormProbe.stop() };
  } catch (error) {
    result.error = `${error instanceof Error ? error.message : String(error)}\n--- server output ---\n${server.logTail()}`;
  } finally {
    // A failed storm must not leave the probe pinging: its timer would keep the bench alive.
    probe?.stop();
    adapter.closeAll();
    await server.stop();
    running.delete(server);
  }
  return result;
}

interface Mark {
  t: number;
  steal: ReturnType<typeof stealTicks>;
  cpuUs: number;
  driver: NodeJS.CpuUsage;
  self: Promise<number | null>;
}

async function loadStep(
  server: RunningServer, visitors: Visitor[], tracker: Tracker, prefix: string, rate: number, options: BenchOptions, acks: boolean,
): Promise<StepResult> {
  const warm = Math.round(rate * options.warmup);
  const total = warm + Math.max(1, Math.round(rate * options.duration));
  const start = performance.now();
  tracker.begin(prefix, start, rate, warm, total);
  const stepStartCpuUs = server.cpuUs();
  const backlogLimit = Math.max(100, rate / 2); // half a second of messages outstanding: saturated

  let k = 0;
  let saturated = false;
  // The measured window opens when the first measured message is sent; set inside the send loop.
  const marks: { window: Mark | null } = { window: null };
  const openWindow = (): Mark =>
    (marks.window = { t: performance.now(), steal: stealTicks(), cpuUs: server.cpuUs(), driver: process.cpuUsage(), self: server.selfCpuUs() });
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (k < due) {
        if (k === warm) openWindow();
        visitors[k % visitors.length]!.send(prefix + k);
        k++;
      }
      if (k - tracker.deliveredCount > backlogLimit) saturated = true;
      if (k >= total || saturated) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const w = marks.window ?? openWindow(); // saturated during the warm-up: nothing measured
  const sendEnd = performance.now();
  const driver = process.cpuUsage(w.driver);
  // Drain: wait (bounded) for every message to arrive and, on Parley, to be acked.
  await until(() => tracker.deliveredCount >= k && (!acks || tracker.ackedCount >= k), 15_000, 'drain').catch(() => {});
  const end = performance.now();
  const steal = stealPct(w.steal, stealTicks());
  const cpuUs = server.cpuUs() - w.cpuUs;
  const [selfStart, selfEnd] = await Promise.all([w.self, server.selfCpuUs()]);
  const sent = Math.max(0, k - warm);
  // Saturated, sending stopped early and the window holds the warm-up's backlog too: charge the
  // whole step's CPU to every message it sent.
  const perMsg = saturated ? (server.cpuUs() - stepStartCpuUs) / k : sent > 0 ? cpuUs / sent : 0;
  const sorted = tracker.latencies.slice(0, tracker.latencyCount).sort();
  return {
    rate, sent, delivered: tracker.deliveredMeasured, acked: acks ? tracker.ackedMeasured : null, saturated,
    p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), p99Ms: percentile(sorted, 0.99), maxMs: sorted.at(-1) ?? 0,
    cpuUsPerMsg: perMsg,
    selfCpuUsPerMsg: selfStart !== null && selfEnd !== null && sent > 0 ? (selfEnd - selfStart) / sent : null,
    serverCpuPct: (cpuUs / ((end - w.t) * 1000)) * 100,
    driverCpuPct: ((driver.user + driver.system) / ((sendEnd - w.t) * 1000)) * 100,
    stealPct: steal,
  };
}

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
