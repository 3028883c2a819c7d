/**
 * WebSocket→TCP relay for the Neon serverless driver (dev and test tool).
 * Each WebSocket connection is piped to one TCP connection to a fixed
 * Postgres (a real server or the PGlite socket server). The target is fixed
 * on purpose: the relay is not an open proxy, whatever address a client asks for.
 *
 * CLI: node scripts/local/neon-relay.mjs --pg 127.0.0.1:5432 [--port 5480]
 */
import http from 'node:http';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import { isMain, parseHostPort, waitForSignal } from './cli.mjs';

/**
 * @typedef {object} NeonRelayOptions
 * @property {number} pgPort Postgres TCP port to pipe to.
 * @property {string} [pgHost] Postgres host (default 127.0.0.1).
 * @property {number} [port] Port to listen on (default 0: any free port).
 * @property {string} [host] Interface to listen on (default 127.0.0.1).
 */

/**
 * @typedef {object} NeonRelay
 * @property {number} port The port it listens on.
 * @property {string} address `host:port`, the value for NEON_LOCAL_RELAY (`neonConfig.wsProxy = () => address + '/'`).
 * @property {() => Promise<void>} close Stops listening and drops every open connection.
 */

/**
 * Starts the relay.
 * @param {NeonRelayOptions} options
 * @returns {Promise<NeonRelay>}
 */
export async function startNeonRelay({ pgPort, pgHost = '127.0.0.1', port = 0, host = '127.0.0.1' }) {
  const sockets = new Set();
  // Our own HTTP server, so close() can drop connections that have not finished their upgrade yet:
  // those are in neither wss.clients nor `sockets`, and server.close() would wait for them forever.
  const server = http.createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    const tcp = net.connect({ host: pgHost, port: pgPort });
    tcp.setNoDelay(true);
    sockets.add(tcp);
    const watch = terminateWatcher();
    // Writes made before the TCP connect completes are queued by net.Socket.
    ws.on('message', (data) => {
      const chunk = /** @type {Buffer} */ (data);
      tcp.write(chunk);
      // PGlite keeps the connection open after a Terminate; Postgres closes it. Close it here so
      // both behave alike: the Neon client's end() relies on the server hanging up.
      if (watch(chunk)) tcp.end();
    });
    tcp.on('data', (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk);
    });
    const closeBoth = () => {
      sockets.delete(tcp);
      tcp.destroy();
      if (ws.readyState === ws.OPEN) ws.close(1000);
      else if (ws.readyState === ws.CONNECTING) ws.terminate();
    };
    ws.on('close', closeBoth);
    ws.on('error', closeBoth);
    tcp.on('close', closeBoth);
    tcp.on('error', closeBoth);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const bound = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    port: bound,
    address: `${host}:${bound}`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      for (const tcp of sockets) tcp.destroy();
      const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
      server.closeAllConnections();
      wss.close();
      await closed;
    },
  };
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * Follows the frontend side of the Postgres protocol (startup packets, then
 * typed messages) without buffering message bodies, and reports when a chunk
 * completes a Terminate ('X') message.
 * @returns {(chunk: Buffer) => boolean}
 */
export function terminateWatcher() {
  let startup = true;
  let header = Buffer.alloc(0);
  let skip = 0;
  return (chunk) => {
    let terminated = false;
    let i = 0;
    while (i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      const headerLength = startup ? 8 : 5;
      const n = Math.min(headerLength - header.length, chunk.length - i);
      header = Buffer.concat([header, chunk.subarray(i, i + n)]);
      i += n;
      if (header.length < headerLength) break;
      if (startup) {
        // Length counts itself; SSL and GSS requests are followed by the real startup packet.
        skip = header.readInt32BE(0) - 8;
        const code = header.readInt32BE(4);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
      } else {
        skip = header.readInt32BE(1) - 4;
        if (header[0] === 0x58) terminated = true;
      }
      header = Buffer.alloc(0);
    }
    return terminated;
  };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: { pg: { type: 'string', default: '127.0.0.1:5432' }, port: { type: 'string', default: '5480' } },
  });
  const pg = parseHostPort(values.pg, 5432);
  const relay = await startNeonRelay({ pgHost: pg.host, pgPort: pg.port, port: Number(values.port) });
  console.log(`neon relay: ws://${relay.address}/ → tcp ${pg.host}:${pg.port}`);
  await waitForSignal();
  await relay.close();
}
