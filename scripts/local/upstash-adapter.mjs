/**
 * A local server speaking Upstash Redis's REST protocol, backed by a real
 * Redis through the `redis` package. A dev and test tool, not production code:
 * it lets the real @upstash/redis client run against a local redis-server.
 *
 * - `POST /` with a JSON array command → `{result}`, or 400 `{error}`.
 * - `POST /pipeline`, `POST /multi-exec` with an array of commands → an array of `{result}|{error}`.
 *   A transaction that Redis aborts as a whole answers 400 `{error}`.
 * - `GET|POST /<command>/<arg>/...` path commands; a POST body is the last argument.
 * - `Authorization: Bearer <token>` (or `?_token=`), else 401.
 * - `Upstash-Encoding: base64` encodes string results (see upstash-protocol.mjs).
 *
 * CLI: node scripts/local/upstash-adapter.mjs [--redis redis://127.0.0.1:6379] [--port 8079] [--token ...]
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { ErrorReply, MultiErrorReply, RESP_TYPES, createClient } from '@redis/client';
import { isMain, waitForSignal } from './cli.mjs';
import { commandFromPath, encodeReply, parseCommand, parseCommandList } from './upstash-protocol.mjs';

/** Bulk strings come back as Buffers, so base64 encodes the exact bytes. */
const TYPE_MAPPING = { [RESP_TYPES.BLOB_STRING]: Buffer };
const MAX_BODY = 16 * 1024 * 1024;

/**
 * @typedef {object} UpstashAdapterOptions
 * @property {string} [redisUrl] The Redis to serve (default redis://127.0.0.1:6379).
 * @property {string} [token] The bearer token to require (default: a random one).
 * @property {number} [port] Port to listen on (default 0: any free port).
 * @property {string} [host] Interface to listen on (default 127.0.0.1).
 */

/**
 * @typedef {object} UpstashAdapter
 * @property {string} url Base URL, the value for UPSTASH_REDIS_REST_URL.
 * @property {string} token The value for UPSTASH_REDIS_REST_TOKEN.
 * @property {number} port The port it listens on.
 * @property {() => Promise<void>} close Stops the server and disconnects from Redis.
 */

/**
 * Connects to Redis and starts the adapter.
 * @param {UpstashAdapterOptions} [options]
 * @returns {Promise<UpstashAdapter>}
 */
export async function startUpstashAdapter({
  redisUrl = 'redis://127.0.0.1:6379',
  token = randomBytes(24).toString('base64url'),
  port = 0,
  host = '127.0.0.1',
} = {}) {
  // Fail fast instead of queueing while Redis is away: callers see an error, as with a real outage.
  const redis = createClient({ url: redisUrl, RESP: 2, disableOfflineQueue: true });
  redis.on('error', () => {}); // reconnects on its own; a command issued meanwhile gets the error
  await redis.connect();
  const typed = redis.withTypeMapping(TYPE_MAPPING);
  const expected = Buffer.from(`Bearer ${token}`);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) =>
      send(res, 500, { error: `ERR adapter: ${err instanceof Error ? err.message : String(err)}` }),
    );
  });

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://adapter');
    const auth =
      req.headers.authorization ?? (url.searchParams.has('_token') ? `Bearer ${url.searchParams.get('_token')}` : '');
    const given = Buffer.from(auth);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return send(res, 401, { error: 'Unauthorized' });
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const body = await readBody(req);

    if (
      req.method === 'POST' &&
      (url.pathname === '/' || url.pathname === '/pipeline' || url.pathname === '/multi-exec')
    ) {
      let json;
      try {
        json = JSON.parse(body);
      } catch {
        return send(res, 400, { error: 'ERR request body is not valid JSON' });
      }
      if (url.pathname === '/') {
        const cmd = parseCommand(json);
        return 'error' in cmd ? send(res, 400, cmd) : single(res, cmd.args, base64);
      }
      const list = parseCommandList(json);
      if ('error' in list) return send(res, 400, list);
      return url.pathname === '/pipeline'
        ? pipeline(res, list.commands, base64)
        : transaction(res, list.commands, base64);
    }
    if (req.method === 'GET' || req.method === 'POST') {
      const cmd = commandFromPath(url, req.method === 'POST' ? body : '');
      return 'error' in cmd ? send(res, 400, cmd) : single(res, cmd.args, base64);
    }
    return send(res, 405, { error: 'ERR method not allowed' });
  }

  /** @param {http.ServerResponse} res @param {string[]} args @param {boolean} base64 */
  async function single(res, args, base64) {
    try {
      send(res, 200, { result: encodeReply(await typed.sendCommand(args), base64) });
    } catch (err) {
      sendError(res, err);
    }
  }

  /**
   * Non-atomic: every command is sent at once on the connection and answered in order.
   * @param {http.ServerResponse} res @param {string[][]} commands @param {boolean} base64
   */
  async function pipeline(res, commands, base64) {
    const settled = await Promise.allSettled(commands.map((args) => typed.sendCommand(args)));
    if (settled.some((s) => s.status === 'rejected' && !(s.reason instanceof ErrorReply))) {
      return sendError(res, /** @type {PromiseRejectedResult} */ (settled.find((s) => s.status === 'rejected')).reason);
    }
    send(
      res,
      200,
      settled.map((s) =>
        s.status === 'fulfilled' ? { result: encodeReply(s.value, base64) } : { error: s.reason.message },
      ),
    );
  }

  /**
   * MULTI … EXEC: per-command errors come back in place; an aborted transaction is a 400.
   * @param {http.ServerResponse} res @param {string[][]} commands @param {boolean} base64
   */
  async function transaction(res, commands, base64) {
    const multi = typed.multi();
    for (const args of commands) multi.addCommand(args);
    let replies;
    try {
      replies = await multi.exec();
    } catch (err) {
      if (!(err instanceof MultiErrorReply)) return sendError(res, err);
      replies = err.replies;
    }
    send(
      res,
      200,
      replies.map((r) => (r instanceof ErrorReply ? { error: r.message } : { result: encodeReply(r, base64) })),
    );
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const bound = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    url: `http://${host}:${bound}`,
    token,
    port: bound,
    close: async () => {
      await new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      });
      await redis.close();
    },
  };
}

/** @param {http.ServerResponse} res @param {number} status @param {unknown} payload */
function send(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Redis error replies are the caller's fault (400); anything else (Redis unreachable) is a 503.
 * @param {http.ServerResponse} res @param {unknown} err
 */
function sendError(res, err) {
  if (err instanceof ErrorReply) return send(res, 400, { error: err.message });
  send(res, 503, { error: `ERR redis unavailable: ${err instanceof Error ? err.message : String(err)}` });
}

/** @param {http.IncomingMessage} req @returns {Promise<string>} */
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
      port: { type: 'string', default: '8079' },
      token: { type: 'string', default: process.env.UPSTASH_REDIS_REST_TOKEN ?? 'keeptime-local' },
    },
  });
  const adapter = await startUpstashAdapter({ redisUrl: values.redis, token: values.token, port: Number(values.port) });
  console.log(`upstash adapter: ${adapter.url} → ${values.redis}`);
  console.log(`UPSTASH_REDIS_REST_URL=${adapter.url}\nUPSTASH_REDIS_REST_TOKEN=${adapter.token}`);
  await waitForSignal();
  await adapter.close();
}
