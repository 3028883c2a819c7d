/**
 * A room's state for clients that are not WebSocket apps: `GET /api/rooms/:id/events`, a Server-Sent Events
 * stream of the socket's messages, and `GET /api/rooms/:id/now`, a small flat reading for polling devices
 * (ETag / If-None-Match, and `?wait=` long-poll until the version changes).
 *
 * Both listen through an ordinary room socket that this Worker opens to the room's object. The object side of
 * that socket hibernates like any viewer's, so an idle feed costs the room no more wake-ups than one idle viewer;
 * the heartbeat comments come from the Worker, not the room.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { roomNow } from '../../core/rooms/now.ts';
import { peerHeader } from '../../durable-objects/platform/limits-config.ts';
import type { AppEnv } from '../app-types.ts';
import { accessHeaderValue } from '../lib/access.ts';
import { unwrap } from '../lib/answer.ts';
import { ApiError } from '../lib/errors.ts';
import { check } from '../middleware/validate.ts';
import { roomTarget } from './rooms.ts';

/**
 * A comment line this often keeps proxies from closing a quiet stream: under the common idle timeouts
 * (nginx and most load balancers 60 s, Cloudflare 100 s), and no more often than that needs.
 */
export const SSE_HEARTBEAT_MS = 50_000;
/** The longest `?wait=` a long-poll may ask for, in seconds. */
export const MAX_WAIT_S = 60;
/** What an SSE client waits before reconnecting (the `retry:` field). */
const RETRY_MS = 3_000;

const waitQuery = z.coerce
  .number({ message: `wait must be a whole number of seconds, 0–${MAX_WAIT_S}` })
  .int(`wait must be a whole number of seconds, 0–${MAX_WAIT_S}`)
  .min(0, `wait must be a whole number of seconds, 0–${MAX_WAIT_S}`)
  .max(MAX_WAIT_S, `wait must be at most ${MAX_WAIT_S} seconds`);
const lastEventId = z.coerce
  .number({ message: 'Last-Event-ID must be a room version (a whole number)' })
  .int('Last-Event-ID must be a room version (a whole number)')
  .min(0, 'Last-Event-ID must be a room version (a whole number)');

/** Messages that answer one socket's own frames: never part of a feed. */
const PRIVATE = new Set(['pong', 'ack']);

/** Opens a room socket from this Worker (as the caller), resuming after `since` when given. */
async function openRoomSocket(c: Context<AppEnv>, since: number | null): Promise<WebSocket> {
  const { stub, access } = roomTarget(c, c.req.param('id') as string);
  const res = await stub.fetch(
    new Request(c.req.url, {
      headers: {
        Upgrade: 'websocket',
        ...peerHeader(c.req.header('CF-Connecting-IP')),
        'X-KT-Access': accessHeaderValue({ ...access, device: 'event feed', ...(since === null ? {} : { since }) }),
      },
    }),
  );
  const ws = res.webSocket;
  if (!ws) {
    // The room refused (unknown room, wrong link, a connection cap): its JSON error says why.
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(
      body?.error?.code ?? 'room_not_found',
      body?.error?.message ?? 'No such room',
      undefined,
      res.status,
    );
  }
  ws.accept();
  return ws;
}

/** Resolves when the room reaches a version above `version`, or after `ms`. */
async function changedSince(c: Context<AppEnv>, version: number, ms: number): Promise<void> {
  const ws = await openRoomSocket(c, version);
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      try {
        ws.close(1000, 'done');
      } catch {
        // Already closed.
      }
      resolve();
    };
    const timer = setTimeout(done, ms);
    ws.addEventListener('message', (ev) => {
      const v = versionOf(String(ev.data));
      if (v !== null && v > version) done();
    });
    ws.addEventListener('close', done);
    ws.addEventListener('error', done);
  });
}

function versionOf(data: string): number | null {
  try {
    const v = (JSON.parse(data) as { version?: unknown }).version;
    return typeof v === 'number' ? v : null;
  } catch {
    return null;
  }
}

/** The version an `If-None-Match` names (`W/"12"`, `"12"`), or null. */
function taggedVersion(header: string | undefined): number | null {
  const m = /^(?:W\/)?"(\d+)"$/.exec(header?.trim() ?? '');
  return m ? Number(m[1]) : null;
}

const etagOf = (version: number) => `W/"${version}"`;

export const roomFeedRoutes = new Hono<AppEnv>()
  .get('/rooms/:id/now', async (c) => {
    const { stub, access } = roomTarget(c, c.req.param('id'));
    const waitS = c.req.query('wait') === undefined ? 0 : check(waitQuery, c.req.query('wait'));
    let snap = unwrap(await stub.snapshot(access));
    const known = taggedVersion(c.req.header('If-None-Match'));
    if (known !== null && known === snap.version && waitS > 0) {
      await changedSince(c, known, waitS * 1000);
      snap = unwrap(await stub.snapshot(access));
    }
    const headers = { ETag: etagOf(snap.version), 'Cache-Control': 'no-cache' };
    if (known !== null && known === snap.version) return c.body(null, 304, headers);
    return c.json(roomNow(snap, snap.serverTime), 200, headers);
  })
  .get('/rooms/:id/events', async (c) => {
    const resumeFrom = c.req.header('Last-Event-ID') ?? c.req.query('lastEventId');
    const since = resumeFrom === undefined || resumeFrom === '' ? null : check(lastEventId, resumeFrom);
    const ws = await openRoomSocket(c, since);
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    let open = true;
    const close = () => {
      if (!open) return;
      open = false;
      clearInterval(heartbeat);
      try {
        ws.close(1000, 'feed closed');
      } catch {
        // Already closed.
      }
      writer.close().catch(() => {});
    };
    // A failed write means the client went away.
    const write = (text: string) => {
      if (open) writer.write(encoder.encode(text)).catch(close);
    };
    const heartbeat = setInterval(() => write(': keepalive\n\n'), SSE_HEARTBEAT_MS);
    ws.addEventListener('message', (ev) => {
      const data = String(ev.data);
      let type: unknown;
      try {
        type = (JSON.parse(data) as { type?: unknown }).type;
      } catch {
        return;
      }
      if (typeof type !== 'string' || PRIVATE.has(type)) return;
      const v = versionOf(data);
      write(`${v === null ? '' : `id: ${v}\n`}data: ${data}\n\n`);
    });
    // The room closed the socket (deleted, link rotated): the stream ends; the client's reconnect then hears why.
    ws.addEventListener('close', close);
    ws.addEventListener('error', close);
    c.req.raw.signal?.addEventListener('abort', close);
    write(`retry: ${RETRY_MS}\n\n`);
    return new Response(readable, {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
      },
    });
  });
