import WebSocket from 'ws';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@parley/protocol';
import { rawAgent, rawVisitor, signIn, until, visitorIp, VISITOR_ORIGIN } from '../support/chat-peers.ts';
import { liveHeap, pidListeningOn, processStats, type HeapReport } from '../support/proc-stats.ts';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.ts';

/**
 * Issue 6, row B2, the memory half: frames over the 64 KiB limit close with 1009 (proven in
 * process by apps/relay/src/http/ws-routes.test.ts › "invalid frames get a typed error and the
 * socket stays open › a frame over 64 KB closes the socket with 1009"), and the relay keeps none
 * of them. 200 frames of 70 KB to 1 MB, each on a fresh socket, before and after `hello`, while
 * a visitor and an agent keep chatting; then the relay's live memory after a full GC
 * (`heap-probe.ts`) is compared with the baseline taken after a warm-up of the same kind.
 */
const FRAMES = 200;
const LANES = 8;
const MIN_BYTES = 70_000;
const MAX_BYTES = 1_000_000;
/**
 * Bounds. The frames total about 100 MB; the smallest is 70 KB. `ws` refuses a frame from its
 * header (the length field) once it exceeds maxPayload, so nothing of the payload needs to be
 * buffered at all, and after a full GC the relay should be where the warm-up left it. Keeping
 * even one frame in ten of the smallest size would be 1.4 MB of strings or buffers; keeping the
 * socket objects of all 200 would be well over a MiB. So, measured once the relay has closed
 * every refused socket: live JS heap +2 MiB at most (what a few hundred closed sockets' worth of
 * JIT and map churn can leave), buffers outside the heap (`external`, where socket reads live)
 * +4 MiB at most — far below the 14–100 MB a leak of the frames themselves would show.
 * (Observed: heap 15.8 → 11.2 MiB, external 12.6 → 11.3 MiB.)
 */
const HEAP_GROWTH_BYTES = 2 * 1024 * 1024;
const EXTERNAL_GROWTH_BYTES = 4 * 1024 * 1024;

let relay: RelayProcess;
const open = new Set<WebSocket>();
afterAll(async () => {
  for (const ws of open) ws.terminate();
  await relay?.dispose();
});

/** Opens a fresh visitor socket, optionally says hello, sends one frame of `bytes`, and resolves with the close code. */
async function oversize(bytes: number, hello: boolean, n: number): Promise<number> {
  const ws = new WebSocket(`${relay.url.replace(/^http/, 'ws')}/ws/visitor`, {
    headers: { origin: VISITOR_ORIGIN, 'x-forwarded-for': visitorIp(10_000 + n) },
    perMessageDeflate: false,
  });
  open.add(ws);
  ws.on('error', () => {}); // the relay may reset the connection while the rest is still being written
  const closed = new Promise<number>((done) => ws.on('close', (code) => {
    open.delete(ws);
    done(code);
  }));
  await new Promise<void>((done, fail) => {
    ws.once('open', () => done());
    ws.once('close', () => fail(new Error('closed before open')));
  });
  if (hello) {
    ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey: relay.siteKey }));
    await new Promise<void>((done) => ws.once('message', () => done()));
  }
  // A valid frame, only too long: a message whose text is the bulk.
  ws.send(JSON.stringify({ type: 'send', clientId: `big${n}`, text: 'x'.repeat(bytes - 60) }));
  const timer = setTimeout(() => ws.terminate(), 10_000);
  const code = await closed;
  clearTimeout(timer);
  return code;
}

describe('B2: frames over the limit', () => {
  it('close with 1009, the relay keeps none of them, and other visitors keep chatting', async () => {
    relay = await startRelayProcess({
      TRUST_PROXY: '1',
      NODE_OPTIONS: `--import=${pathToFileURL(resolve(import.meta.dirname, '../support/heap-probe.ts')).href}`,
    });
    const pid = pidListeningOn(relay.port);
    const cookie = await signIn(relay.url);
    const agent = await rawAgent(relay.url, cookie);
    const { socket: visitor } = await rawVisitor(relay.url, relay.siteKey, { ip: visitorIp(1) });
    await visitor.next('resumed');

    // A bystander's chat, one exchange at a time: visitor writes, the agent sees it live and answers.
    let exchanges = 0;
    let conversationId = '';
    const exchange = async () => {
      const n = ++exchanges;
      visitor.send({ type: 'send', clientId: `by-${n}`, text: `bystander ${n}`, ...(conversationId ? { conversationId } : {}) });
      const ack = await visitor.next('ack', (f) => f.clientId === `by-${n}`, 10_000);
      conversationId = ack.conversationId;
      await agent.next('message', (f) => f.message.clientId === `by-${n}`, 10_000);
      agent.send({ type: 'send', clientId: `re-${n}`, conversationId, text: `answer ${n}` });
      const answer = await visitor.next('message', (f) => f.message.clientId === `re-${n}`, 10_000);
      expect(answer.message.text).toBe(`answer ${n}`);
    };

    // Warm-up of the same kind, so that the baseline has the code paths compiled and caches filled.
    let n = 0;
    for (let i = 0; i < 16; i++) expect(await oversize(MIN_BYTES + i * 1000, i % 2 === 0, n++)).toBe(1009);
    await exchange();
    const fds = processStats(pid).fds;
    /**
     * The live memory once the relay has let go of every refused socket and what was in flight on
     * them: for a few hundred ms after the last close, a full GC still finds a few MiB of socket
     * reads referenced (observed +4–7 MiB of `external`, gone within a second). So: wait for the
     * descriptors, then read until `external` stops falling. A leak does not fall, so it stays.
     */
    const steadyHeap = async (): Promise<HeapReport> => {
      await until(() => processStats(pid).fds <= fds, 'the relay to close the refused sockets', 10_000);
      let last = await liveHeap(pid, relay.output);
      for (let i = 0; i < 15; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const next = await liveHeap(pid, relay.output);
        const falling = next.external < last.external - 64 * 1024;
        last = next;
        if (!falling) break;
      }
      return last;
    };
    const baseline = await steadyHeap();

    const codes = new Map<number, number>();
    let sent = 0;
    let flooding = true;
    const bystander = (async () => {
      // Paced under the 30 messages a minute a visitor may send.
      while (flooding && exchanges < 25) {
        await exchange();
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    await Promise.all(Array.from({ length: LANES }, async (_, lane) => {
      for (let i = lane; i < FRAMES; i += LANES) {
        // Spread from 70 KB to 1 MB, both before and after hello.
        const bytes = Math.round(MIN_BYTES + ((MAX_BYTES - MIN_BYTES) * ((i * 37) % FRAMES)) / FRAMES);
        sent += bytes;
        const code = await oversize(bytes, i % 3 !== 0, n++);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }));
    flooding = false;
    await bystander;
    const startedDuring = exchanges;
    await exchange();

    const after = await steadyHeap();
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.info(`[B2] ${FRAMES} frames, ${mib(sent)} MiB in all; close codes ${JSON.stringify(Object.fromEntries(codes))}; `
      + `${startedDuring} bystander exchanges meanwhile; live heap ${mib(baseline.heapUsed)} → ${mib(after.heapUsed)} MiB, `
      + `external ${mib(baseline.external)} → ${mib(after.external)} MiB, RSS ${mib(baseline.rss)} → ${mib(after.rss)} MiB`);

    expect(Object.fromEntries(codes)).toEqual({ 1009: FRAMES });
    expect(startedDuring).toBeGreaterThan(1);
    expect(after.heapUsed - baseline.heapUsed, 'live heap growth').toBeLessThan(HEAP_GROWTH_BYTES);
    expect(after.external - baseline.external, 'external memory growth').toBeLessThan(EXTERNAL_GROWTH_BYTES);
    expect(visitor.invalid).toEqual([]);
    expect(agent.invalid).toEqual([]);
    // Nothing of the oversize frames was stored: only the bystander's conversation exists.
    const health = await fetch(`${relay.url}/healthz`);
    expect(health.status).toBe(200);
    const list = (await (await fetch(`${relay.url}/api/v1/conversations?status=all`, { headers: { cookie } })).json()) as { conversations: unknown[] };
    expect(list.conversations).toHaveLength(1);
  });
});
