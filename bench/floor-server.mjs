// The floor: a bare `ws` broadcast server, the least any design on this machine can do to get a command to every
// viewer. One Node process, one room, no auth, no storage, no presence, no timer: `POST /command` bumps a version,
// serialises one message (the size of Keeptime's timer-update, so bytes on the wire match) once, and sends it to
// every open socket, then answers `{version}`. A viewer connecting to `/ws` gets `{type:"room-state",version}`.
// node bench/floor-server.mjs [--port 0]   prints "floor listening on N"
import http from 'node:http';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const PAD = 'x'.repeat(200); // a Keeptime timer-update carries a timer snapshot; this keeps the frame comparable

let version = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return void res.end('{"status":"ok"}');
  if (req.method === 'GET' && req.url === '/version') return void res.end(JSON.stringify({ version }));
  if (req.method === 'POST' && req.url === '/command') {
    req.resume();
    req.on('end', () => {
      version++;
      const text = JSON.stringify({ type: 'timer-update', version, serverTime: Date.now(), pad: PAD });
      for (const ws of wss.clients) if (ws.readyState === 1) ws.send(text);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ version }));
    });
    return;
  }
  res.statusCode = 404;
  res.end();
});
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.on('error', () => {});
  ws.send(JSON.stringify({ type: 'room-state', version }));
});
server.listen(Number(values.port), '127.0.0.1', () => {
  const addr = server.address();
  console.log(`floor listening on ${typeof addr === 'object' && addr ? addr.port : 0}`);
});
