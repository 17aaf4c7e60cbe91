import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { PROTOCOL_VERSION, type ClientFrame, type ServerFrame } from '@parley/protocol';
import { createConnection, type Connection, type Peer } from '../../apps/relay/src/core/connection.ts';
import type { CoreDeps } from '../../apps/relay/src/core/deps.ts';
import { createMemoryPresence } from '../../apps/relay/src/core/presence.ts';
import { createRateLimits } from '../../apps/relay/src/core/rate-limit.ts';
import { createMemoryBus } from '../../apps/relay/src/fanout/memory-bus.ts';
import { serialize } from '../../apps/relay/src/http/serialize.ts';
import { encodeTextFrames } from '../../apps/relay/src/http/text-frames.ts';
import { createWriteCoalescer } from '../../apps/relay/src/http/write-coalescer.ts';
import { seedIfEmpty } from '../../apps/relay/src/seed.ts';
import { createSqliteStore } from '../../apps/relay/src/storage/sqlite/sqlite-store.ts';
import { until } from '../relay/clients.ts';

export interface CoreRunOptions {
  visitors: number;
  messages: number;
  /** `memory`: SQLite `:memory:`; `file`: a SQLite file in the OS temp folder (`synchronous=FULL`). */
  db: 'memory' | 'file';
  /** Runs between the warm-up and the measured messages, and once they are done (allocation sampling). */
  around?: { before(): Promise<void>; after(): Promise<void> };
}

export interface CoreRunResult {
  messages: number;
  /** Growth of V8's used heap over the measured messages, per message: allocation when no GC ran. */
  heapBytesPerMessage: number;
  /** Whether a GC ran in the window (then the heap growth undercounts the allocation). */
  gcInWindow: boolean;
  cpuUsPerMessage: number;
  /** Bytes of WebSocket frames the relay would have written, per message. */
  bytesOutPerMessage: number;
}

/**
 * The relay's core as one process runs it, without sockets: real `Connection`s, the in-process
 * bus and the SQLite store, peers that serialise and frame what they are sent exactly as
 * `SocketPeer` does, and visitors who each write into their own open conversation while one
 * agent receives everything. No network and no second process, so that what it measures (the
 * heap a message allocates above all) repeats from run to run on a noisy machine.
 */
export async function runCore(options: CoreRunOptions): Promise<CoreRunResult> {
  const folder = options.db === 'file' ? mkdtempSync(join(tmpdir(), 'parley-core-')) : null;
  const store = createSqliteStore({ filename: folder ? join(folder, 'parley.db') : ':memory:' });
  // Time moves a second per batch of twenty, so the per-visitor rate limit never refuses the run.
  let clock = Date.now();
  const deps: CoreDeps = {
    store,
    bus: createMemoryBus(),
    presence: createMemoryPresence(),
    limits: createRateLimits(),
    now: () => clock,
    heartbeatMs: 25_000,
    log: (level, message, detail) => {
      if (level === 'error') console.error(message, detail);
    },
  };
  try {
    await seedIfEmpty(store, { adminEmail: 'bench@example.test', adminPassword: 'bench-password-1', now: clock });
    const site = await store.firstSite();
    const agent = await store.agentByEmail('bench@example.test');
    if (!site || !agent) throw new Error('the seed made no site or agent');

    const edge = createEdge();
    let acks = 0;
    const visitors: Array<{ connection: Connection; conversationId: string | null }> = [];
    for (let i = 0; i < options.visitors; i++) {
      const visitor: { connection: Connection; conversationId: string | null } = { connection: null as unknown as Connection, conversationId: null };
      const peer = edge.peer(`visitor-${i}`, (frame) => {
        if (frame.type === 'ack') {
          visitor.conversationId = frame.conversationId;
          acks++;
        } else if (frame.type === 'error') {
          throw new Error(`visitor ${i} was refused: ${frame.code} ${frame.message}`);
        }
      });
      visitor.connection = createConnection(deps, peer, { endpoint: 'visitor', origin: null, agent: null, ip: `10.0.${i >> 8}.${i & 255}` });
      visitor.connection.receive(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey: site.key } satisfies ClientFrame));
      visitors.push(visitor);
      if (i % 100 === 99) await sleep(5);
    }
    const agentConnection = createConnection(deps, edge.peer('agent'), { endpoint: 'agent', origin: null, agent, ip: '127.0.0.1' });
    agentConnection.receive(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'agent' } satisfies ClientFrame));
    await sleep(100);

    let sent = 0;
    const text = 'x'.repeat(60);
    const send = async (count: number) => {
      for (let k = 0; k < count; k++) {
        const visitor = visitors[k % visitors.length]!;
        const frame: ClientFrame = visitor.conversationId === null
          ? { type: 'send', clientId: `c${sent++}`, text }
          : { type: 'send', clientId: `c${sent++}`, conversationId: visitor.conversationId, text };
        visitor.connection.receive(JSON.stringify(frame));
        if (k % 20 === 19) {
          clock += 1000;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      await until(() => acks >= sent, 60_000, 'the core to ack every message');
    };
    // Every visitor opens a conversation and writes once more, so the code is warm and the
    // measured messages are messages in open conversations.
    await send(visitors.length * 2);

    await options.around?.before();
    const heapBefore = getHeapStatistics().used_heap_size;
    const windowStart = performance.now();
    const cpuBefore = process.cpuUsage();
    const bytesBefore = edge.bytesOut();
    await send(options.messages);
    const cpu = process.cpuUsage(cpuBefore);
    const heapAfter = getHeapStatistics().used_heap_size;
    const gcInWindow = await gcBetween(windowStart, performance.now());
    await options.around?.after();
    return {
      messages: options.messages,
      heapBytesPerMessage: (heapAfter - heapBefore) / options.messages,
      gcInWindow,
      cpuUsPerMessage: (cpu.user + cpu.system) / options.messages,
      bytesOutPerMessage: (edge.bytesOut() - bytesBefore) / options.messages,
    };
  } finally {
    await store.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

/** Peers that hold a turn's frames and frame them together when it ends, as `SocketPeer` does, through the relay's own coalescer. */
function createEdge() {
  const coalescer = createWriteCoalescer();
  let bytes = 0;
  return {
    peer(id: string, onFrame?: (frame: ServerFrame) => void): Peer {
      let texts: string[] | null = null;
      const held = {
        flush() {
          if (texts === null) return;
          bytes += encodeTextFrames(texts).length;
          texts = null;
        },
      };
      return {
        id,
        send(frame) {
          if (texts === null) {
            texts = [];
            coalescer.hold(held);
          }
          texts.push(serialize(frame));
          onFrame?.(frame);
        },
        close() {},
      };
    },
    bytesOut: () => bytes,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Start times of the GCs seen, from the performance timeline. */
const gcStarts: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcStarts.push(entry.startTime);
}).observe({ entryTypes: ['gc'] });

/** Whether a GC started between two `performance.now()` readings (its entry arrives a turn later). */
async function gcBetween(from: number, to: number): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return gcStarts.some((start) => start >= from && start <= to);
}
