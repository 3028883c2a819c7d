// A TCP proxy that delays every chunk, with jitter and a different mean per direction, for benchmarks
// that need a realistic (slow, jittery, asymmetric) network on loopback. Byte order is kept per direction:
// a chunk is released at max(previous release, arrival + delay), so it never overtakes an earlier one.
import net from 'node:net';

/**
 * @param {{ target: { host?: string, port: number }, upMs?: number, downMs?: number, jitterMs?: number,
 *   random?: () => number }} options  upMs: client→server mean delay; downMs: server→client; each ± jitterMs uniform
 * @returns {Promise<{ port: number, stop: () => Promise<void>, stats: () => { connections: number, chunks: number } }>}
 */
export async function startDelayProxy({ target, upMs = 35, downMs = 65, jitterMs = 20, random = Math.random }) {
  const host = target.host ?? '127.0.0.1';
  const sockets = new Set();
  let connections = 0;
  let chunks = 0;

  const delayOf = (meanMs) => Math.max(0, meanMs + (random() * 2 - 1) * jitterMs);

  /** Forwards `from` to `to`, each chunk delayed; ends `to` after the last chunk has been released. */
  const pipeDelayed = (from, to, meanMs) => {
    // One queue and one timer per direction: chunks leave strictly in arrival order.
    /** @type {{ at: number, chunk: Buffer | null }[]} */
    const queue = [];
    let lastRelease = 0;
    let timer = null;
    const flush = () => {
      timer = null;
      const now = performance.now();
      while (queue.length && queue[0].at <= now + 0.5) {
        const { chunk } = /** @type {{ at: number, chunk: Buffer | null }} */ (queue.shift());
        if (to.destroyed) continue;
        if (chunk === null) to.end();
        else to.write(chunk);
      }
      arm();
    };
    const arm = () => {
      if (timer === null && queue.length) timer = setTimeout(flush, Math.max(0, queue[0].at - performance.now()));
    };
    const push = (chunk) => {
      lastRelease = Math.max(lastRelease, performance.now() + (chunk === null ? 0 : delayOf(meanMs)));
      queue.push({ at: lastRelease, chunk });
      arm();
    };
    from.on('data', (chunk) => {
      chunks++;
      push(chunk);
    });
    from.on('end', () => push(null));
    from.on('close', () => {
      // An abrupt close (error, reset) drops what is still in flight, as a broken link would.
      if (from.errored || !from.readableEnded) {
        if (timer !== null) clearTimeout(timer);
        queue.length = 0;
        to.destroy();
      }
    });
  };

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    connections++;
    client.setNoDelay(true);
    const upstream = net.connect({ host, port: target.port, allowHalfOpen: true });
    upstream.setNoDelay(true);
    sockets.add(client).add(upstream);
    for (const s of [client, upstream]) {
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    pipeDelayed(client, upstream, upMs);
    pipeDelayed(upstream, client, downMs);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    port,
    stats: () => ({ connections, chunks }),
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
