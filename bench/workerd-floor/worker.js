// The runtime's own floor: the least a Durable Object in workerd can do to get a command to every viewer. One object,
// one room, no auth, no storage, no presence, no timer. The Worker forwards `/ws` and `/command` to the object, as
// Keeptime's Worker does; the object accepts hibernatable sockets and, on `POST /command`, serialises one message (the
// size of Keeptime's timer-update) once and sends it to every socket. Compared with bench/floor-server.mjs (bare `ws`
// in Node), the difference is the runtime's cost per socket; compared with Keeptime, the difference is Keeptime's own.
const PAD = 'x'.repeat(200);

export class Floor {
  /** @param {DurableObjectState} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    // In memory only: a version from the wall clock stays monotonic if the object is evicted between commands.
    this.version = 0;
  }

  /** @param {Request} req */
  async fetch(req) {
    const { pathname } = new URL(req.url);
    if (pathname === '/ws') {
      const [client, server] = Object.values(new WebSocketPair());
      this.ctx.acceptWebSocket(server);
      server.send(JSON.stringify({ type: 'room-state', version: this.version }));
      return new Response(null, { status: 101, webSocket: client });
    }
    if (pathname === '/command' && req.method === 'POST') {
      this.version = Math.max(this.version + 1, Date.now());
      const text = JSON.stringify({ type: 'timer-update', version: this.version, serverTime: Date.now(), pad: PAD });
      for (const ws of this.ctx.getWebSockets()) {
        try {
          ws.send(text);
        } catch {
          // closing
        }
      }
      return Response.json({ version: this.version });
    }
    if (pathname === '/version') return Response.json({ version: this.version });
    return new Response('not found', { status: 404 });
  }

  webSocketMessage() {}

  /** @param {WebSocket} ws @param {number} code */
  webSocketClose(ws, code) {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code);
    } catch {
      // already closed
    }
  }
}

export default {
  /** @param {Request} req @param {{ FLOOR: DurableObjectNamespace }} env */
  fetch(req, env) {
    if (new URL(req.url).pathname === '/health') return new Response('{"status":"ok"}');
    return env.FLOOR.get(env.FLOOR.idFromName('room')).fetch(req);
  },
};
