/**
 * Issue 11, finding 11: caps on socket upgrades, the per-socket frame budget, and per-user quotas, at their defaults
 * (durable-objects/platform/limits-config.ts).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, ipPrefix, readLimits } from '../../../durable-objects/platform/limits-config.ts';
import {
  call,
  createRoom,
  freshIp,
  openSocket,
  signup,
  tryOpenWs,
  wsPath,
  type TestSocket,
} from '../../support/workers.ts';
import { freshRack } from '../../support/racks.ts';

describe('limits configuration', () => {
  it('reads each variable, and keeps the default for unset or invalid values', () => {
    expect(readLimits({})).toEqual(DEFAULT_LIMITS);
    expect(readLimits({ WS_MAX_PER_IP: '5000', QUOTA_ROOMS_PER_USER: 'lots', WS_FRAME_BURST: '0' })).toEqual({
      ...DEFAULT_LIMITS,
      socketsPerIp: 5000,
    });
  });

  it('counts IPv4 by address and IPv6 by /64', () => {
    expect(ipPrefix('203.0.113.7')).toBe('203.0.113.7');
    expect(ipPrefix('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(ipPrefix('2001:DB8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(ipPrefix('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipPrefix(undefined)).toBe('unknown');
  });
});

describe('socket upgrade caps', () => {
  it(`refuses the ${DEFAULT_LIMITS.socketsPerIp + 1}th socket from one IP on a room with 429, before the upgrade`, {
    timeout: 90_000,
  }, async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const ip = freshIp();
    const open = () =>
      tryOpenWs(wsPath(room.id, { token: room.links.viewer }), { headers: { 'CF-Connecting-IP': ip } });
    const sockets: TestSocket[] = [];
    for (let i = 0; i < DEFAULT_LIMITS.socketsPerIp; i++) {
      const r = await open();
      if (!('socket' in r)) throw new Error(`socket ${i} refused: ${r.status} ${JSON.stringify(r.body)}`);
      sockets.push(r.socket);
    }
    const refused = await open();
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'too_many_connections' } } });
    expect((refused as { body: { error: { message: string } } }).body.error.message).toContain(
      String(DEFAULT_LIMITS.socketsPerIp),
    );
    // Another address still gets in; and a closed socket frees its place.
    const other = await tryOpenWs(wsPath(room.id, { token: room.links.viewer }), {
      headers: { 'CF-Connecting-IP': freshIp() },
    });
    expect('socket' in other).toBe(true);
    sockets[0]?.close();
    await sockets[0]?.closed();
    let reopened = await open();
    for (let i = 0; i < 20 && !('socket' in reopened); i++) {
      await new Promise((r) => setTimeout(r, 50));
      reopened = await open();
    }
    expect('socket' in reopened).toBe(true);
    for (const s of sockets) s.close();
    if ('socket' in other) other.socket.close();
    if ('socket' in reopened) reopened.socket.close();
  });
});

describe('the frame budget', () => {
  it('answers a flood of 5,000 pings with rate_limited error frames, then closes the socket with 1008', {
    timeout: 90_000,
  }, async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const ws = await openSocket(room.id, { token: room.links.viewer });
    const t0 = Date.now();
    for (let i = 0; i < 5_000; i++) {
      try {
        ws.send({ type: 'ping', t0: i });
      } catch {
        break; // closed under us
      }
    }
    const closed = await ws.closed(10_000);
    const elapsedMs = Date.now() - t0;
    expect(closed.code).toBe(1008);
    const pongs = ws.log.filter((m) => m.type === 'pong').length;
    const limited = ws.log.filter((m) => m.type === 'error' && m.code === 'rate_limited').length;
    // The burst, then the rate: never more than the bucket allows over the flood's span.
    expect(pongs).toBeGreaterThanOrEqual(DEFAULT_LIMITS.frameBurst);
    expect(pongs).toBeLessThanOrEqual(DEFAULT_LIMITS.frameBurst + (DEFAULT_LIMITS.framesPerSec * elapsedMs) / 1000 + 1);
    expect(pongs + limited).toBeLessThan(5_000);
    expect(limited).toBeGreaterThan(0);
    expect(limited).toBeLessThanOrEqual(DEFAULT_LIMITS.floodClose);
  });

  it('a client within the rate never meets it', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const ws = await openSocket(room.id, { token: room.links.viewer });
    for (let i = 0; i < DEFAULT_LIMITS.frameBurst; i++) ws.send({ type: 'ping', t0: i });
    for (let i = 0; i < DEFAULT_LIMITS.frameBurst; i++) await ws.next('pong');
    expect(ws.log.some((m) => m.type === 'error')).toBe(false);
    ws.close();
  });
});

describe('per-user quotas', () => {
  it(`refuses room ${DEFAULT_LIMITS.roomsPerUser + 1} with 409 quota_exceeded naming the limit`, {
    timeout: 90_000,
  }, async () => {
    const owner = await signup();
    for (let i = 0; i < DEFAULT_LIMITS.roomsPerUser; i++) {
      const a = await call('/api/rooms', { json: { name: `r${i}` }, auth: owner.token });
      expect(a.status, JSON.stringify(a.body)).toBe(201);
    }
    const over = await call('/api/rooms', { json: { name: 'one too many' }, auth: owner.token });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({
      code: 'quota_exceeded',
      details: { quota: 'rooms_per_user', limit: DEFAULT_LIMITS.roomsPerUser },
    });
    expect(over.body.error.message).toContain(String(DEFAULT_LIMITS.roomsPerUser));
    // Deleting one makes room for another.
    const list = (await call('/api/rooms', { auth: owner.token })).body.rooms;
    expect(list).toHaveLength(DEFAULT_LIMITS.roomsPerUser);
    expect((await call(`/api/rooms/${list[0].id}`, { method: 'DELETE', auth: owner.token })).status).toBe(204);
    expect((await call('/api/rooms', { json: { name: 'fits again' }, auth: owner.token })).status).toBe(201);
  });

  it(`refuses a claim of rack ${DEFAULT_LIMITS.racksPerUser + 1} held at once with 409 quota_exceeded`, async () => {
    const worker = await signup();
    const racks = ['F09', 'F10', 'F11', 'F12'].slice(0, DEFAULT_LIMITS.racksPerUser + 1);
    for (const r of racks) await freshRack(r);
    const claim = (r: string) => call(`/api/racks/${r}/claim`, { auth: worker.token, json: { floor: 'first' } });
    for (const r of racks.slice(0, -1)) expect((await claim(r)).status).toBe(200);
    // Claiming a rack already held (a renewal) is not one more.
    expect((await claim(racks[0] as string)).status).toBe(200);
    const over = await claim(racks.at(-1) as string);
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({
      code: 'quota_exceeded',
      details: { quota: 'racks_per_user', limit: DEFAULT_LIMITS.racksPerUser },
    });
    for (const r of racks) await freshRack(r);
  });

  it(`refuses session start ${DEFAULT_LIMITS.sessionStartsPerHour + 1} within an hour with 429, naming the limit`, {
    timeout: 90_000,
  }, async () => {
    const user = await signup();
    for (let i = 0; i < DEFAULT_LIMITS.sessionStartsPerHour; i++) {
      expect((await call('/api/sessions/start', { json: {}, auth: user.token })).status).toBe(201);
      expect((await call('/api/sessions/stop', { json: {}, auth: user.token })).status).toBe(200);
    }
    const over = await call('/api/sessions/start', { json: {}, auth: user.token });
    expect(over.status).toBe(429);
    expect(over.body.error).toMatchObject({
      code: 'rate_limited',
      details: { quota: 'session_starts_per_hour', limit: DEFAULT_LIMITS.sessionStartsPerHour },
    });
  });
});
