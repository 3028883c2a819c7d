/**
 * Size limits (LIMITS in core/protocol.ts): HTTP bodies over 64 KiB (a route's own `bodyLimit`: the rundown
 * import's 256 KiB) get 413 `payload_too_large` on every /api route, before the body is read when a
 * Content-Length says it is too large, and after at most the limit (plus one
 * chunk) when it is streamed without one; WebSocket messages over 16 KiB get
 * an `error` frame `payload_too_large` on every endpoint, which stays open.
 */
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../core/protocol.ts';
import { scaled } from '../../support/time-scale.ts';
import { BASE } from '../../support/workers.ts';
import { legitAuth } from './fuzz-inputs.ts';
import { send } from './fuzz-lib.ts';
import { ENDPOINTS, openEndpoint } from './fuzz-sockets.ts';
import { type World, buildWorld, snapshotWorld } from './fuzz-world.ts';
import { ROUTES, type RouteSpec, fillPath } from './routes.ts';

const CHUNK = 16 * 1024;

/** A stream of `total` bytes of JSON-ish text in CHUNK pieces that counts what was pulled. */
function countingBody(total: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      const n = Math.min(CHUNK, total - pulled);
      const chunk = new Uint8Array(n).fill(0x20);
      if (pulled === 0) chunk[0] = 0x7b;
      pulled += n;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

let world: World;
beforeAll(async () => {
  world = await buildWorld('F11');
});

const writes = ROUTES.filter((r) => r.method !== 'GET');

/** Streams a megabyte to route `r` as its legitimate caller, with `headers` added; returns the body's counter and the answer. */
/** A megabyte, or twice the route's own limit where that is larger (the stock import takes 2 MB files). */
const oversize = (r: RouteSpec) => Math.max(1024 * 1024, 2 * (r.bodyLimit ?? LIMITS.httpBody));

async function streamMegabyte(r: RouteSpec, headers: Record<string, string> = {}) {
  const body = countingBody(oversize(r));
  const res = await exports.default.fetch(
    new Request(`${BASE}${fillPath(r.path, world.params)}`, {
      method: r.method,
      headers: { ...legitAuth(r, world), 'Content-Type': 'application/json', ...headers },
      body: body.stream,
    }),
  );
  return { body, res };
}

describe('HTTP body limit', () => {
  it('a body at the limit is judged by the route (400); one byte over is 413 on every writing route', async () => {
    const before = await snapshotWorld(world);
    for (const r of writes) {
      const limit = r.bodyLimit ?? LIMITS.httpBody;
      const path = fillPath(r.path, world.params);
      const headers = { ...legitAuth(r, world), 'Content-Type': 'application/json' };
      if (r.body) {
        // JSON padded with spaces to exactly the limit, with a field no schema has: the schema refuses it, not the size.
        const at = await send({
          label: r.name,
          method: r.method,
          path,
          headers,
          body: '{"not_a_field":1}'.padEnd(limit, ' '),
        });
        expect(at, r.name).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
      }
      const over = await send({
        label: r.name,
        method: r.method,
        path,
        headers,
        body: 'x'.repeat(limit + 1),
      });
      expect(over, r.name).toMatchObject({
        status: 413,
        body: { error: { code: 'payload_too_large', message: expect.any(String) } },
      });
    }
    expect(await snapshotWorld(world)).toEqual(before);
  });

  it('refuses a too-large Content-Length before reading the body, on routes with and without a body', async () => {
    const before = await snapshotWorld(world);
    for (const r of writes) {
      const { body, res } = await streamMegabyte(r, { 'Content-Length': String(oversize(r)) });
      expect(res.status, r.name).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
      // At most what the stream had buffered ahead of any reader: far less than the size declared.
      expect(body.pulled(), r.name).toBeLessThanOrEqual(2 * CHUNK);
    }
    expect(await snapshotWorld(world)).toEqual(before);
  });

  it('stops reading a streamed body without Content-Length once it passes the limit', async () => {
    const before = await snapshotWorld(world);
    for (const r of writes) {
      const { body, res } = await streamMegabyte(r);
      expect(res.status, r.name).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
      expect(body.pulled(), r.name).toBeLessThanOrEqual((r.bodyLimit ?? LIMITS.httpBody) + 3 * CHUNK);
    }
    expect(await snapshotWorld(world)).toEqual(before);
  });

  it('the limit is in bytes: fewer characters than the limit, in a multi-byte script, are still too many bytes', async () => {
    const before = await snapshotWorld(world);
    const r = ROUTES.find((x) => x.name === 'set message')!;
    const text = '€'.repeat(30_000);
    expect(JSON.stringify({ text }).length).toBeLessThan(LIMITS.httpBody);
    const a = await send({
      label: r.name,
      method: r.method,
      path: fillPath(r.path, world.params),
      headers: { ...legitAuth(r, world), 'Content-Type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(a).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect(await snapshotWorld(world)).toEqual(before);
  });

  it('a Content-Length that understates the body does not get past the limit', async () => {
    const before = await snapshotWorld(world);
    const r = ROUTES.find((x) => x.name === 'set message')!;
    const a = await send({
      label: r.name,
      method: r.method,
      path: fillPath(r.path, world.params),
      headers: { ...legitAuth(r, world), 'Content-Type': 'application/json', 'Content-Length': '20' },
      body: JSON.stringify({ text: 'x'.repeat(LIMITS.httpBody) }),
    });
    expect(a.status).toBe(413);
    expect(await snapshotWorld(world)).toEqual(before);
  });
});

describe('WebSocket message limit', () => {
  it.each(ENDPOINTS.map((e) => [e.name, e] as const))(
    '%s: frames over 16 KiB get payload_too_large and the socket stays usable',
    async (_name, e) => {
      const before = await snapshotWorld(world);
      const ws = await openEndpoint(e, world);
      const oversized: (string | Uint8Array)[] = [
        `${e.probe.frame}${' '.repeat(LIMITS.wsMessage)}`,
        JSON.stringify({ type: 'ping', t0: 1, pad: 'é'.repeat(LIMITS.wsMessage / 2) }),
        'x'.repeat(1024 * 1024),
        new Uint8Array(LIMITS.wsMessage + 1),
      ];
      for (const frame of oversized) {
        ws.send(frame);
        expect(await ws.next('error', scaled(3000))).toMatchObject({
          code: 'payload_too_large',
          message: expect.any(String),
        });
      }
      // Exactly at the limit, a valid frame is answered (the ops feed answers only the exact ping text).
      if (e.name !== 'ops feed') {
        ws.send(e.probe.frame.padEnd(LIMITS.wsMessage, ' '));
        await ws.next(e.probe.answer, scaled(3000));
      }
      ws.send(e.probe.frame);
      await ws.next(e.probe.answer, scaled(3000));
      expect(ws.strays).toEqual([]);
      ws.close();
      expect(await snapshotWorld(world)).toEqual(before);
    },
  );
});
