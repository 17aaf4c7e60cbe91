import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { handleUsage } from './usage.ts';

/**
 * What a team would reach for: a Socket.IO room relay. A socket joins the room named in the
 * handshake query; every `m` event is emitted to the rest of the room. WebSocket transport only
 * (no long-polling), no compression, no storage.
 * Run: PORT=0 node bench/yardsticks/socketio-room.ts  (prints `listening <port>`).
 */
const server = createServer((req, res) => {
  if (!handleUsage(req, res)) res.writeHead(404).end();
});
const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, serveClient: false, maxHttpBufferSize: 64 * 1024 });

io.on('connection', (socket) => {
  const room = String(socket.handshake.query['room'] ?? '');
  void socket.join(room);
  socket.on('m', (data: unknown) => {
    socket.to(room).emit('m', data);
  });
});

server.listen(Number(process.env['PORT'] ?? 0), process.env['HOST'] ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.once('SIGTERM', () => process.exit(0));
