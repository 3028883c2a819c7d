/**
 * The local Upstash adapter, driven by the real @upstash/redis client,
 * against a private redis-server.
 */
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startUpstashAdapter } from '../../scripts/local/upstash-adapter.mjs';
import { scaled } from '../support/time-scale.ts';
import { type TestRedis, startRedisServer } from './helpers/redis-server.ts';

let server: TestRedis;
let adapter: Awaited<ReturnType<typeof startUpstashAdapter>>;
let redis: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  adapter = await startUpstashAdapter({ redisUrl: server.url, token: 'test-token' });
  redis = new Redis({ url: adapter.url, token: adapter.token, retry: false });
});

afterAll(async () => {
  await adapter?.close();
  await server?.stop();
});

beforeEach(async () => {
  await redis.flushdb();
});

/** A raw request, to see exactly what the adapter answers. */
async function raw(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(adapter.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${adapter.token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

describe('single commands through @upstash/redis', () => {
  it('set with ex, get and ttl round-trip', async () => {
    expect(await redis.set('room:1', { name: 'Main stage', timers: 3 }, { ex: 60 })).toBe('OK');
    expect(await redis.get('room:1')).toEqual({ name: 'Main stage', timers: 3 });
    const ttl = await redis.ttl('room:1');
    expect(ttl).toBeGreaterThan(55);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await redis.get('missing')).toBeNull();
  });

  it('set nx refuses an existing key', async () => {
    expect(await redis.set('lock', 'a', { nx: true, px: 5_000 })).toBe('OK');
    expect(await redis.set('lock', 'b', { nx: true, px: 5_000 })).toBeNull();
    expect(await redis.get('lock')).toBe('a');
  });

  it('incr, incrby and del', async () => {
    expect(await redis.incr('n')).toBe(1);
    expect(await redis.incrby('n', 41)).toBe(42);
    expect(await redis.del('n', 'absent')).toBe(1);
    expect(await redis.exists('n')).toBe(0);
  });

  it('hash commands', async () => {
    expect(await redis.hset('user:1', { name: 'Zoë', sessions: 2 })).toBe(2);
    expect(await redis.hget('user:1', 'name')).toBe('Zoë');
    expect(await redis.hgetall('user:1')).toEqual({ name: 'Zoë', sessions: 2 });
    expect(await redis.hincrby('user:1', 'sessions', 3)).toBe(5);
    expect(await redis.hdel('user:1', 'name')).toBe(1);
    expect(await redis.hgetall('nobody')).toBeNull();
  });

  it('list commands', async () => {
    expect(await redis.rpush('history:1', 'a', 'b', 'c')).toBe(3);
    expect(await redis.lpush('history:1', 'z')).toBe(4);
    expect(await redis.lrange('history:1', 0, -1)).toEqual(['z', 'a', 'b', 'c']);
    expect(await redis.ltrim('history:1', 0, 1)).toBe('OK');
    expect(await redis.llen('history:1')).toBe(2);
    expect(await redis.lpop('history:1')).toBe('z');
  });

  it('non-string replies: ping, mget with gaps, scan', async () => {
    expect(await redis.ping()).toBe('PONG');
    await redis.set('a', 'x');
    expect(await redis.mget('a', 'b')).toEqual(['x', null]);
    const [cursor, keys] = await redis.scan(0, { match: 'a*' });
    expect(String(cursor)).toBe('0');
    expect(keys).toEqual(['a']);
  });

  it('a redis error surfaces as an UpstashError', async () => {
    await redis.set('s', 'text');
    await expect(redis.incr('s')).rejects.toThrow(/not an integer/);
  });
});

describe('the cache-tag flow (sets), with the Cloudflare entry point and no deserialization', () => {
  it('set + sadd + expire in a pipeline, smembers, then del', async () => {
    const { Redis: CfRedis } = await import('@upstash/redis/cloudflare');
    const cf = new CfRedis({
      url: adapter.url,
      token: adapter.token,
      retry: { retries: 0 },
      automaticDeserialization: false,
      enableTelemetry: false,
    });
    const p = cf.pipeline();
    p.set('kt:rooms:u1', JSON.stringify([{ id: 'r1' }]), { ex: 60 });
    p.sadd('kt:tag:user:u1', 'kt:rooms:u1');
    p.expire('kt:tag:user:u1', 120);
    expect(await p.exec()).toEqual(['OK', 1, 1]);
    expect(await cf.get('kt:rooms:u1')).toBe('[{"id":"r1"}]');
    const q = cf.pipeline();
    q.smembers('kt:tag:user:u1');
    q.smembers('kt:tag:none');
    expect(await q.exec()).toEqual([['kt:rooms:u1'], []]);
    expect(await cf.del('kt:rooms:u1', 'kt:tag:user:u1')).toBe(2);
    expect(await cf.exists('kt:rooms:u1')).toBe(0);
  });
});

describe('pipeline and multi-exec', () => {
  it('pipeline returns results in order', async () => {
    const p = redis.pipeline();
    p.set('k', 1);
    p.incr('k');
    p.get('k');
    p.hset('h', { f: 'v' });
    p.hgetall('h');
    expect(await p.exec()).toEqual(['OK', 2, 2, 1, { f: 'v' }]);
  });

  it('pipeline keeps going past a failing command', async () => {
    const p = redis.pipeline();
    p.set('s', 'text');
    p.incr('s');
    p.get('s');
    const out = await p.exec({ keepErrors: true });
    expect(out.map((r) => r.error ?? null)).toEqual([null, expect.stringMatching(/not an integer/), null]);
    expect(out[2]?.result).toBe('text');
  });

  it('multi-exec is atomic and answers per command', async () => {
    const m = redis.multi();
    m.set('counter', 10);
    m.incrby('counter', 5);
    m.expire('counter', 30);
    m.get('counter');
    expect(await m.exec()).toEqual(['OK', 15, 1, 15]);
  });

  it('multi-exec reports a runtime error in place; the rest still applies', async () => {
    const m = redis.multi();
    m.set('s', 'text');
    m.incr('s');
    m.set('t', 'ok');
    const out = await m.exec({ keepErrors: true });
    expect(out[1]?.error).toMatch(/not an integer/);
    expect(await redis.get('t')).toBe('ok');
  });

  it('multi-exec aborted by Redis (a bad command) is a 400 and applies nothing', async () => {
    const r = await raw('/multi-exec', [['set', 'x', '1'], ['nosuchcommand']]);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: expect.stringMatching(/unknown command/i) });
    expect(await redis.exists('x')).toBe(0);
  });
});

describe('protocol details', () => {
  it('base64 encoding: strings encoded except a top-level OK; numbers and nulls untouched; array elements encoded', async () => {
    const b64 = { 'upstash-encoding': 'base64' };
    expect((await raw('/', ['set', 'k', 'héllo'], b64)).json).toEqual({ result: 'OK' });
    expect((await raw('/', ['get', 'k'], b64)).json).toEqual({ result: Buffer.from('héllo').toString('base64') });
    expect((await raw('/', ['incr', 'n'], b64)).json).toEqual({ result: 1 });
    expect((await raw('/', ['get', 'none'], b64)).json).toEqual({ result: null });
    expect((await raw('/', ['ping'], b64)).json).toEqual({ result: Buffer.from('PONG').toString('base64') });
    expect((await raw('/', ['mget', 'k', 'none'], b64)).json).toEqual({
      result: [Buffer.from('héllo').toString('base64'), null],
    });
    expect(
      (
        await raw(
          '/pipeline',
          [
            ['set', 'a', 'OK'],
            ['get', 'a'],
            ['incr', 'n'],
          ],
          b64,
        )
      ).json,
    ).toEqual([{ result: 'OK' }, { result: Buffer.from('OK').toString('base64') }, { result: 2 }]);
  });

  it('base64 encoding keeps binary values exact', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41]);
    await raw('/', ['set', 'bin', bytes.toString('latin1')]);
    // JSON carried the latin1 string as UTF-8, so Redis holds its UTF-8 bytes; base64 must reflect exactly those.
    const stored = Buffer.from(bytes.toString('latin1'), 'utf8');
    expect((await raw('/', ['get', 'bin'], { 'upstash-encoding': 'base64' })).json).toEqual({
      result: stored.toString('base64'),
    });
  });

  it('without the header, results are plain JSON', async () => {
    await raw('/', ['set', 'k', 'héllo']);
    expect((await raw('/', ['get', 'k'])).json).toEqual({ result: 'héllo' });
    expect((await raw('/', ['lrange', 'none', '0', '-1'])).json).toEqual({ result: [] });
  });

  it('a client with responseEncoding false works too', async () => {
    const plain = new Redis({ url: adapter.url, token: adapter.token, responseEncoding: false, retry: false });
    await plain.set('k', 'v', { ex: 10 });
    expect(await plain.get('k')).toBe('v');
  });

  it('path-style commands, with a POST body as the last argument', async () => {
    const auth = { authorization: `Bearer ${adapter.token}` };
    expect(await (await fetch(`${adapter.url}/set/greeting/hi?EX=30`, { headers: auth })).json()).toEqual({
      result: 'OK',
    });
    expect(await (await fetch(`${adapter.url}/get/greeting`, { headers: auth })).json()).toEqual({ result: 'hi' });
    expect(
      await (await fetch(`${adapter.url}/set/note`, { method: 'POST', headers: auth, body: 'a b/c' })).json(),
    ).toEqual({ result: 'OK' });
    expect(await redis.get('note')).toBe('a b/c');
    expect(await redis.ttl('greeting')).toBeGreaterThan(0);
  });

  it('a redis error is a 400 with {error}', async () => {
    const r = await raw('/', ['get']);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: expect.stringMatching(/wrong number of arguments/) });
  });

  it('malformed bodies and connection-state commands are refused with 400', async () => {
    expect((await raw('/', { not: 'an array' })).status).toBe(400);
    expect((await raw('/', [])).status).toBe(400);
    expect((await raw('/', ['get', { nested: true }])).status).toBe(400);
    expect((await raw('/pipeline', [])).status).toBe(400);
    expect((await raw('/', ['subscribe', 'ch'])).json).toEqual({ error: expect.stringMatching(/not available/) });
    expect((await raw('/', ['select', '1'])).status).toBe(400);
  });

  it('missing or wrong bearer token is a 401', async () => {
    const none = await fetch(adapter.url, { method: 'POST', body: '["ping"]' });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: 'Unauthorized' });
    const wrong = await raw('/', ['ping'], { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const client = new Redis({ url: adapter.url, token: 'nope', retry: false });
    await expect(client.get('k')).rejects.toThrow(/Unauthorized/);
  });

  it('concurrent clients do not see each other’s pipelines interleaved wrongly', async () => {
    const runs = Array.from({ length: 20 }, async (_, i) => {
      const p = redis.pipeline();
      p.set(`c:${i}`, i);
      p.incr(`c:${i}`);
      p.get(`c:${i}`);
      return p.exec();
    });
    const results = await Promise.all(runs);
    results.forEach((r, i) => expect(r).toEqual(['OK', i + 1, i + 1]));
  });
});

describe('when Redis goes away', () => {
  it('answers 503 at once instead of hanging', async () => {
    const own = await startRedisServer();
    const a = await startUpstashAdapter({ redisUrl: own.url, token: 't' });
    try {
      const client = new Redis({ url: a.url, token: 't', retry: false });
      expect(await client.set('k', 'v')).toBe('OK');
      await own.stop();
      const started = Date.now();
      const res = await fetch(a.url, { method: 'POST', headers: { authorization: 'Bearer t' }, body: '["get","k"]' });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: expect.stringMatching(/redis unavailable/) });
      // "At once" against a hang: the bound only tells the two apart.
      const tookMs = Date.now() - started;
      console.log(`upstash adapter: 503 without Redis after ${tookMs} ms`);
      expect(tookMs).toBeLessThan(scaled(1_000));
    } finally {
      await a.close();
      await own.stop();
    }
  });
});
