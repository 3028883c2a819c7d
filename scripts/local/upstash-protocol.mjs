/**
 * The pure half of the Upstash REST adapter: parsing requests into Redis
 * commands and encoding replies the way Upstash does. No sockets here.
 */

/** Commands that change or hold the shared connection's state; Upstash's REST API has no use for them either. */
const REFUSED = new Set([
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
  'monitor',
  'select',
  'watch',
  'unwatch',
  'multi',
  'exec',
  'discard',
  'quit',
  'reset',
  'hello',
  'auth',
  'client',
  'sync',
  'psync',
]);

/**
 * Validates one command from a request body: a non-empty array of strings,
 * numbers or booleans. Returns the arguments as strings, or an error message.
 * @param {unknown} value
 * @returns {{ args: string[] } | { error: string }}
 */
export function parseCommand(value) {
  if (!Array.isArray(value) || value.length === 0) return { error: 'ERR command must be a non-empty JSON array' };
  const args = [];
  for (const v of value) {
    if (typeof v === 'string') args.push(v);
    else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') args.push(String(v));
    else return { error: 'ERR command arguments must be strings or numbers' };
  }
  if (REFUSED.has(String(args[0]).toLowerCase())) return { error: `ERR command is not available: ${args[0]}` };
  return { args };
}

/**
 * Validates a /pipeline or /multi-exec body: a non-empty array of commands.
 * @param {unknown} value
 * @returns {{ commands: string[][] } | { error: string }}
 */
export function parseCommandList(value) {
  if (!Array.isArray(value) || value.length === 0)
    return { error: 'ERR body must be a non-empty JSON array of commands' };
  const commands = [];
  for (const item of value) {
    const parsed = parseCommand(item);
    if ('error' in parsed) return parsed;
    commands.push(parsed.args);
  }
  return { commands };
}

/**
 * The command in a REST path: `/set/key/value?EX=60` → `['set','key','value','EX','60']`.
 * A non-empty POST body becomes the last argument.
 * @param {URL} url
 * @param {string} body
 * @returns {{ args: string[] } | { error: string }}
 */
export function commandFromPath(url, body) {
  const args = url.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  for (const [k, v] of url.searchParams) {
    if (k === '_token') continue;
    args.push(k);
    if (v !== '') args.push(v);
  }
  if (body !== '') args.push(body);
  return parseCommand(args);
}

/**
 * Turns a Redis reply (RESP2: Buffer, string, number, null or nested arrays)
 * into JSON the way Upstash does. With `base64`, every string becomes base64
 * except a top-level status "OK"; array elements are always encoded.
 * Bulk strings are expected as Buffers (see the adapter's type mapping).
 * @param {unknown} reply
 * @param {boolean} base64
 * @param {boolean} [top]
 * @returns {unknown}
 */
export function encodeReply(reply, base64, top = true) {
  if (reply === null || reply === undefined) return null;
  if (Array.isArray(reply)) return reply.map((r) => encodeReply(r, base64, false));
  // Status replies arrive as strings, bulk replies as Buffers: only the status "OK" stays plain,
  // a stored value that happens to read "OK" is encoded like any other.
  if (typeof reply === 'string') {
    if (!base64 || (top && reply === 'OK')) return reply;
    return Buffer.from(reply, 'utf8').toString('base64');
  }
  if (Buffer.isBuffer(reply)) return base64 ? reply.toString('base64') : reply.toString('utf8');
  if (typeof reply === 'bigint') return Number(reply);
  return reply;
}
