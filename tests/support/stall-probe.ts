import { createInterface } from 'node:readline';
import WebSocket from 'ws';

/**
 * Measures a relay's event-loop stalls from the outside, in a process of its own so the load
 * driver's own stalls do not count: a visitor socket pings every `PROBE_INTERVAL_MS` and the
 * longest gap between two pongs is (to within one interval) the longest time the relay did not
 * turn its event loop. The relay has no stall metric of its own; this needs none.
 *
 * Run as `node stall-probe.ts <ws url of /ws/visitor> <site key>`. Prints `ready` once pinging,
 * and on a `stop` line on stdin prints one JSON line ({ maxGapMs, maxRttMs, pongs }) and exits.
 */
const PROBE_INTERVAL_MS = 10;
const [url, siteKey] = process.argv.slice(2);
if (!url || !siteKey) throw new Error('usage: stall-probe.ts <ws url> <site key>');

const ws = new WebSocket(url, { headers: { origin: 'https://probe.example', 'x-forwarded-for': '10.255.255.254' }, perMessageDeflate: false });
let lastPong = 0;
let maxGapMs = 0;
let maxRttMs = 0;
let pongs = 0;
let timer: NodeJS.Timeout | undefined;

ws.on('error', (error) => {
  console.error(`probe socket error: ${error.message}`);
  process.exit(1);
});
ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', protocol: 1, role: 'visitor', siteKey })));
ws.on('message', (data) => {
  const frame = JSON.parse(String(data)) as { type: string; t?: number };
  if (frame.type === 'resumed') {
    lastPong = performance.now();
    timer = setInterval(() => ws.send(JSON.stringify({ type: 'ping', t: performance.now() })), PROBE_INTERVAL_MS);
    console.log('ready');
  } else if (frame.type === 'pong' && frame.t !== undefined) {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - lastPong);
    maxRttMs = Math.max(maxRttMs, now - frame.t);
    lastPong = now;
    pongs++;
  }
});
ws.on('close', () => {
  console.error('probe socket closed by the relay');
  process.exit(1);
});

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'stop') return;
  clearInterval(timer);
  // The gap still open at the end counts too: a relay frozen right now must not pass.
  maxGapMs = Math.max(maxGapMs, performance.now() - lastPong);
  console.log(JSON.stringify({ maxGapMs: Math.round(maxGapMs), maxRttMs: Math.round(maxRttMs), pongs }));
  ws.removeAllListeners('close');
  ws.terminate();
  process.exit(0);
});
