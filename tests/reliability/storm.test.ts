import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@parley/protocol';
import { signIn, visitorIp, VISITOR_ORIGIN } from '../support/chat-peers.ts';
import { startStallProbe } from '../support/stall-probe-process.ts';
import { pidListeningOn, processStats } from '../support/proc-stats.ts';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.ts';

/**
 * Issue 6, row L3: a reconnect storm. A thousand visitors hold a conversation each; every
 * connection drops at once; while they are away an agent answers each of them three times; then
 * all thousand come back in the same instant, each resuming from the seq it last saw. Every one
 * must get exactly its three missed replies, in order, and the relay's event loop must never stall
 * for a second — measured from a separate process as the longest gap between pongs.
 *
 * Raw `ws` sockets that only JSON.parse: a thousand @parley/client instances (or schema checks of
 * every frame) would load this driver more than the relay, on the same two cores.
 */

const CLIENTS = 1000;
const MISSED = 3;
const STALL_LIMIT_MS = 1000;

let relay: RelayProcess;
const open = new Set<WebSocket>();
afterAll(async () => {
  for (const ws of open) ws.terminate();
  await relay?.dispose();
});

interface Frame {
  type: string;
  visitorToken?: string;
  clientId?: string;
  conversationId?: string;
  message?: { conversationId: string; seq: number; text: string };
  conversations?: Array<{ conversationId: string; seq: number }>;
  code?: string;
}

/** A socket whose frames are JSON-parsed and kept, with a way to wait for one. */
function lightSocket(url: string, headers: Record<string, string>) {
  const ws = new WebSocket(url, { headers, perMessageDeflate: false, handshakeTimeout: 30_000 });
  open.add(ws);
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    for (const waiter of [...waiters]) waiter();
  });
  ws.on('error', () => {});
  ws.on('close', () => {
    open.delete(ws);
    for (const waiter of [...waiters]) waiter();
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  function waitFor(match: (f: Frame) => boolean, what: string, timeoutMs = 60_000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = frames.find(match);
        if (found) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        } else if (ws.readyState === WebSocket.CLOSED) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`socket closed waiting for ${what}; got ${frames.map((f) => f.code ?? f.type).join(',')}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }
  return { ws, frames, opened, waitFor };
}

/** Runs `task` over `items` with at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i]!, i);
    }
  }));
}

describe('L3: a reconnect storm of 1,000 clients', () => {
  it('all resume with their missed replies in order, and the event loop never stalls for a second', async () => {
    relay = await startRelayProcess({ TRUST_PROXY: '1' });
    const wsUrl = `${relay.url.replace(/^http/, 'ws')}/ws/visitor`;
    const visitors: Array<{ ip: string; token: string; conversationId: string }> = [];

    // 1. A thousand visitors, each with a conversation of one message.
    await pool(Array.from({ length: CLIENTS }), 100, async (_, i) => {
      const ip = visitorIp(i + 1);
      const peer = lightSocket(wsUrl, { origin: VISITOR_ORIGIN, 'x-forwarded-for': ip });
      await peer.opened;
      peer.ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey: relay.siteKey }));
      const welcome = await peer.waitFor((f) => f.type === 'welcome', 'welcome');
      peer.ws.send(JSON.stringify({ type: 'send', clientId: `storm-${i}`, text: `visitor ${i} here` }));
      const ack = await peer.waitFor((f) => f.type === 'ack', 'ack');
      visitors[i] = { ip, token: welcome.visitorToken!, conversationId: ack.conversationId! };
    });
    expect(open.size).toBe(CLIENTS);

    const pid = pidListeningOn(relay.port);
    const probe = await startStallProbe(relay.url, relay.siteKey);
    const before = processStats(pid);

    // 2. Every connection drops at once.
    for (const ws of [...open]) ws.terminate();

    // 3. While they are away, agents answer everyone three times (four agent sockets, pipelined).
    const cookie = await signIn(relay.url);
    const agents = Array.from({ length: 4 }, () => lightSocket(`${relay.url.replace(/^http/, 'ws')}/ws/agent`, { origin: relay.url, cookie }));
    for (const agent of agents) {
      await agent.opened;
      agent.ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'agent' }));
      await agent.waitFor((f) => f.type === 'resumed', 'agent resumed');
    }
    const acked = new Set<string>();
    for (const agent of agents) agent.ws.on('message', (data) => {
      const text = String(data);
      if (text.startsWith('{"type":"ack"')) acked.add(JSON.parse(text).clientId);
    });
    for (let r = 1; r <= MISSED; r++) {
      visitors.forEach((v, i) => {
        agents[i % agents.length]!.ws.send(JSON.stringify({ type: 'send', clientId: `reply-${i}-${r}`, conversationId: v.conversationId, text: `reply ${r}` }));
      });
    }
    const deadline = Date.now() + 60_000;
    while (acked.size < CLIENTS * MISSED && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(acked.size).toBe(CLIENTS * MISSED);
    for (const agent of agents) agent.ws.terminate();

    // 4. The storm: all thousand come back in the same instant, each resuming after seq 1.
    const stormStart = performance.now();
    const back = visitors.map((v) => {
      const peer = lightSocket(wsUrl, { origin: VISITOR_ORIGIN, 'x-forwarded-for': v.ip });
      void peer.opened.then(() => peer.ws.send(JSON.stringify({
        type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey: relay.siteKey, visitorToken: v.token,
        resume: [{ conversationId: v.conversationId, seq: 1 }],
      })), () => {});
      return peer;
    });
    await Promise.all(back.map((peer) => peer.waitFor((f) => f.type === 'resumed', 'resumed')));
    const stormMs = performance.now() - stormStart;
    const stall = await probe.stop();
    const after = processStats(pid);

    back.forEach((peer, i) => {
      const { conversationId } = visitors[i]!;
      const resumedAt = peer.frames.findIndex((f) => f.type === 'resumed');
      const replayed = peer.frames.slice(0, resumedAt).filter((f) => f.type === 'message').map((f) => [f.message!.conversationId, f.message!.seq, f.message!.text]);
      expect(replayed).toEqual([[conversationId, 2, 'reply 1'], [conversationId, 3, 'reply 2'], [conversationId, 4, 'reply 3']]);
      expect(peer.frames[resumedAt]!.conversations).toEqual([{ conversationId, seq: 4 }]);
      expect(peer.frames.filter((f) => f.type === 'error')).toEqual([]);
    });
    console.info(`[L3] ${CLIENTS} clients resumed in ${stormMs.toFixed(0)} ms; longest pong gap ${stall.maxGapMs} ms, `
      + `longest ping round trip ${stall.maxRttMs} ms (${stall.pongs} pongs); relay RSS ${(before.rssKb / 1024).toFixed(0)} → `
      + `${(after.rssKb / 1024).toFixed(0)} MiB, fds ${before.fds} → ${after.fds}`);
    expect(stall.maxGapMs).toBeLessThan(STALL_LIMIT_MS);
  });
});
