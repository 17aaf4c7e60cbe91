import { pidListeningOn, processStats, type ProcessStats } from '../../tests/support/proc-stats.ts';
import { rawAgent, signIn, storedMessages, visitorClient, visitorIp, whenOpen, type VisitorClient } from '../../tests/support/chat-peers.ts';
import { startRelayProcess } from '../../tests/support/relay-process.ts';

/**
 * A soak: visitors chatting with an agent against the relay as users run it, for minutes, while
 * their connections are cut now and then (they reconnect, resend and resume) and visitors leave
 * and new ones arrive. It reports the relay's memory (RSS) and open file descriptors at the start
 * and at the end — with the same number of visitors connected — and checks that every acknowledged
 * message is in the database exactly once.
 */

export interface SoakOptions {
  durationMs: number;
  /** Visitors connected at any time. */
  visitors: number;
  onProgress?: (line: string) => void;
}

export interface SoakReport {
  durationMs: number;
  visitors: number;
  start: ProcessStats;
  end: ProcessStats;
  sent: number;
  acked: number;
  agentReplies: number;
  /** Connections cut by the soak (each followed by a reconnect and resume). */
  cuts: number;
  /** Visitors that left for good and were replaced by new ones. */
  churned: number;
  /** Acked messages not in the database, and client ids stored more than once: both must be 0. */
  lost: number;
  duplicates: number;
}

/** A visitor sends one message every this many ms: 24 a minute, under the relay's 30. */
const SEND_EVERY_MS = 2500;
/** Each visitor's connection is cut about this often. */
const CUT_EVERY_MS = 15_000;
/** One visitor leaves and a new one arrives about this often. */
const CHURN_EVERY_MS = 5_000;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.onProgress ?? (() => {});
  const relay = await startRelayProcess({ TRUST_PROXY: '1', PARLEY_HEARTBEAT_MS: '5000' });
  const timers = new Set<NodeJS.Timeout>();
  const acked = new Set<string>();
  let sent = 0;
  let cuts = 0;
  let churned = 0;
  let agentReplies = 0;
  let nextVisitor = 0;
  try {
    const pid = pidListeningOn(relay.port);
    const cookie = await signIn(relay.url);
    const agent = await rawAgent(relay.url, cookie);
    // The agent answers every fifth visitor message, as the live inbox would.
    agent.ws.on('message', (data) => {
      const text = String(data);
      if (!text.startsWith('{"type":"message"')) return;
      const frame = JSON.parse(text) as { message: { conversationId: string; author: { kind: string }; seq: number } };
      if (frame.message.author.kind !== 'visitor' || frame.message.seq % 5 !== 0) return;
      agentReplies++;
      agent.send({ type: 'send', clientId: `agent-${agentReplies}`, conversationId: frame.message.conversationId, text: 'Thanks, looking into it' });
    });

    const active = new Set<VisitorClient>();
    const every = (ms: number, task: () => void) => {
      const timer = setInterval(task, ms * (0.75 + Math.random() * 0.5));
      timers.add(timer);
      return timer;
    };
    const arrive = async () => {
      const n = ++nextVisitor;
      const visitor = visitorClient(relay.url, relay.siteKey, visitorIp(n), { backoffBaseMs: 200, backoffMaxMs: 2000 });
      active.add(visitor);
      visitor.client.connect();
      await whenOpen(visitor.client);
      let m = 0;
      const send = () => {
        const clientId = `s${n}-${++m}`;
        sent++;
        void visitor.client.send({ clientId, text: `visitor ${n} message ${m}` }).ack.then((ack) => acked.add(ack.clientId), () => {});
      };
      send();
      const sender = every(SEND_EVERY_MS, send);
      const cutter = every(CUT_EVERY_MS, () => {
        const ws = visitor.sockets.at(-1);
        if (ws && ws.readyState === ws.OPEN) {
          cuts++;
          ws.terminate(); // a network failure: no close frame
        }
      });
      return { visitor, stop: () => { clearInterval(sender); clearInterval(cutter); timers.delete(sender); timers.delete(cutter); } };
    };
    const population = new Map<VisitorClient, () => void>();
    for (let i = 0; i < options.visitors; i++) {
      const { visitor, stop } = await arrive();
      population.set(visitor, stop);
    }
    await settle(acked, () => sent, 10_000);
    const start = processStats(pid);
    log(`start: ${options.visitors} visitors, RSS ${mib(start.rssKb)} MiB, ${start.fds} fds`);

    const churn = every(CHURN_EVERY_MS, () => {
      const [first] = population;
      if (!first) return;
      const [leaving, stop] = first;
      stop();
      population.delete(leaving);
      leaving.client.close();
      churned++;
      void arrive().then(({ visitor, stop: stopNew }) => population.set(visitor, stopNew));
    });
    const began = Date.now();
    const progress = every(Math.max(5_000, Math.min(60_000, options.durationMs / 5)), () => {
      const now = processStats(pid);
      log(`${((Date.now() - began) / 1000).toFixed(0)} s: ${acked.size}/${sent} acked, ${cuts} cuts, ${churned} churned, RSS ${mib(now.rssKb)} MiB, ${now.fds} fds`);
    });
    await new Promise((r) => setTimeout(r, options.durationMs));
    clearInterval(churn);
    clearInterval(progress);
    for (const stop of population.values()) stop();
    await settle(acked, () => sent, 15_000);
    // The same population as at the start, all connected, before the end figures.
    await Promise.all([...population.keys()].map((v) => whenOpen(v.client)));
    const end = processStats(pid);
    log(`end: ${population.size} visitors, RSS ${mib(end.rssKb)} MiB, ${end.fds} fds`);

    const rows = storedMessages(relay.databasePath);
    const counts = new Map<string, number>();
    for (const row of rows) if (row.authorKind === 'visitor') counts.set(row.clientId, (counts.get(row.clientId) ?? 0) + 1);
    for (const visitor of active) visitor.client.close();
    agent.ws.terminate();
    return {
      durationMs: options.durationMs, visitors: options.visitors, start, end, sent, acked: acked.size, agentReplies, cuts, churned,
      lost: [...acked].filter((id) => !counts.has(id)).length,
      duplicates: [...counts.values()].filter((n) => n > 1).length,
    };
  } finally {
    for (const timer of timers) clearInterval(timer);
    await relay.dispose();
  }
}

/** Waits (bounded) until every message sent so far is acked. */
async function settle(acked: Set<string>, sent: () => number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (acked.size < sent() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

export function mib(kb: number): string {
  return (kb / 1024).toFixed(1);
}
