// Baseline for bench/fanout.ts: the usual socket.io chat room — every message is broadcast to the
// room as its own packet to every member (no batching), websocket transport only.
import http from 'node:http';
import { Server } from 'socket.io';

const server = http.createServer((req, res) => {
  res.writeHead(req.url === '/health' ? 200 : 404);
  res.end('ok');
});
const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
io.on('connection', (socket) => {
  socket.on('join', (room: string) => void socket.join(room));
  socket.on('chat', (msg: { room: string; text: string }) => {
    io.to(msg.room).emit('chat', { text: msg.text, nickname: 'u' });
  });
  // The anchor's "explain now" pin, broadcast the same way.
  socket.on('pin', (msg: { room: string; productId: number }) => {
    io.to(msg.room).emit('pin', msg.productId);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
