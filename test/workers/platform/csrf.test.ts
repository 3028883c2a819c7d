/**
 * Issue 11, findings 5 and 6: state changes must declare themselves API calls (415), cookie callers must come
 * from this origin (403 forbidden_origin), on HTTP and on WebSocket upgrades; sockets never carry share links.
 */
import { describe, expect, it } from 'vitest';
import {
  BASE,
  call,
  createRoom,
  createTimer,
  durableView,
  expectError,
  openSocket,
  signup,
  tryOpenWs,
} from '../../support/workers.ts';

const cookie = (token: string) => ({ Cookie: `kt_session=${token}` });

describe('CSRF guard: API-call declaration', () => {
  it('refuses body-less commands without a JSON type or X-Keeptime (415), and changes nothing', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const before = await durableView(room);
    const routes: Array<[string, string]> = [
      ['POST', `/api/rooms/${room.id}/timers/${t.id}/start`],
      ['POST', `/api/rooms/${room.id}/next`],
      ['DELETE', `/api/rooms/${room.id}/message`],
      ['DELETE', `/api/rooms/${room.id}/timers/${t.id}`],
      ['DELETE', `/api/rooms/${room.id}`],
      ['POST', '/api/sessions/start'],
      ['POST', '/api/auth/logout'],
    ];
    for (const [method, path] of routes) {
      // What an HTML form can send: no type, text/plain, urlencoded, multipart.
      for (const type of [null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const headers = type ? { 'Content-Type': type } : undefined;
        const a = await call(path, { method, auth: owner.token, bare: true, ...(headers ? { headers } : {}) });
        expectError(a, 415, 'unsupported_media_type');
      }
    }
    expect(await durableView(room)).toEqual(before);
    // The same command with the header, or as JSON, goes through.
    const started = await call(`/api/rooms/${room.id}/timers/${t.id}/start`, {
      method: 'POST',
      auth: owner.token,
      bare: true,
      headers: { 'X-Keeptime': '1' },
    });
    expect(started.status).toBe(200);
    const paused = await call(`/api/rooms/${room.id}/timers/${t.id}/pause`, {
      method: 'POST',
      auth: owner.token,
      json: {},
    });
    expect(paused.status).toBe(200);
  });
});

describe('CSRF guard: cookie callers from another origin', () => {
  it('refuses a cookie-authenticated write from a sibling or foreign origin (403 forbidden_origin)', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const before = await durableView(room);
    const start = `/api/rooms/${room.id}/timers/${t.id}/start`;
    const foreign: Array<Record<string, string>> = [
      { Origin: 'http://evil.kt.test', 'Sec-Fetch-Site': 'same-site' },
      { Origin: 'https://other.example', 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'same-site' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ];
    for (const h of foreign) {
      const a = await call(start, { method: 'POST', json: {}, headers: { ...cookie(owner.token), ...h } });
      expectError(a, 403, 'forbidden_origin');
    }
    expect(await durableView(room)).toEqual(before);

    // Same origin (by Origin or by Fetch Metadata) is fine; so is a Bearer call from anywhere.
    const same = await call(start, { method: 'POST', json: {}, headers: { ...cookie(owner.token), Origin: BASE } });
    expect(same.status).toBe(200);
    const pause = `/api/rooms/${room.id}/timers/${t.id}/pause`;
    const meta = await call(pause, {
      method: 'POST',
      json: {},
      headers: { ...cookie(owner.token), 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(meta.status).toBe(200);
    const bearer = await call(start, {
      method: 'POST',
      json: {},
      auth: owner.token,
      headers: { Origin: 'https://x.example' },
    });
    expect(bearer.status).toBe(200);
  });

  it('leaves reads alone: a cross-origin GET with the cookie still answers (CORS keeps the body from the page)', async () => {
    const owner = await signup();
    const a = await call('/api/me', { headers: { ...cookie(owner.token), Origin: 'https://other.example' } });
    expect(a.status).toBe(200);
  });
});

describe('CSRF guard: WebSocket upgrades', () => {
  it('refuses a cookie upgrade from another origin before upgrading; same origin and Bearer upgrades open', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const path = `/api/rooms/${room.id}/ws`;
    for (const origin of ['http://evil.kt.test', 'https://other.example']) {
      const r = await tryOpenWs(path, { headers: { ...cookie(owner.token), Origin: origin } });
      expect(r).toMatchObject({ status: 403, body: { error: { code: 'forbidden_origin' } } });
    }
    for (const other of ['/api/sessions/ws', '/api/ops/ws']) {
      const r = await tryOpenWs(other, { headers: { ...cookie(owner.token), Origin: 'http://evil.kt.test' } });
      expect(r, other).toMatchObject({ status: 403, body: { error: { code: 'forbidden_origin' } } });
    }
    const ok = await tryOpenWs(path, { headers: { ...cookie(owner.token), Origin: BASE } });
    expect('socket' in ok).toBe(true);
    if ('socket' in ok) {
      const state = await ok.socket.next('room-state');
      // The owner's socket never carries the share links; the HTTP read does.
      expect(state.role).toBe('owner');
      expect(state.links).toBeUndefined();
      ok.socket.close();
    }
    const viaBearer = await openSocket(room.id, { auth: owner.token });
    viaBearer.send({ type: 'request-sync' });
    expect((await viaBearer.next('room-state')).links).toBeUndefined();
    viaBearer.close();
    expect((await call(`/api/rooms/${room.id}`, { auth: owner.token })).body.links).toEqual(room.links);
  });
});
