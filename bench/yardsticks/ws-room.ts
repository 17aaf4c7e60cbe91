import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { handleUsage } from './usage.ts';

/**
 * The ceiling: a bare `ws` room relay. A socket joins the room named in `?room=`; every frame it
 * sends is forwarded as is to the other members. No parsing, no validation, no storage.
 * Run: PORT=0 node bench/yardsticks/ws-room.ts  (prints `listening <port>`).
 */
const server = createServer((req, res) => {
  if (!handleUsage(req, res)) res.writeHead(404).end();
});
// Same limits as the relay (server.ts): no compression, 64 KiB frames.
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 });
const rooms = new Map<string, Set<WebSocket>>();

wss.on('connection', (ws, req) => {
  const room = new URL(req.url ?? '/', 'http://localhost').searchParams.get('room') ?? '';
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Set()));
  const joined = members;
  joined.add(ws);
  ws.on('message', (data, isBinary) => {
    for (const peer of joined) if (peer !== ws && peer.readyState === peer.OPEN) peer.send(data, { binary: isBinary });
  });
  ws.on('close', () => {
    joined.delete(ws);
    if (joined.size === 0 && rooms.get(room) === joined) rooms.delete(room);
  });
  // A reset connection (the storm terminates sockets) must not crash the yardstick.
  ws.on('error', () => {});
});

server.listen(Number(process.env['PORT'] ?? 0), process.env['HOST'] ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.once('SIGTERM', () => process.exit(0));
