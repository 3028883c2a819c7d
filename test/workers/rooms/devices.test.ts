/**
 * Device control and device health: the device routes by role, the registry (names survive reconnects, offline
 * devices are listed), identify/reload/disconnect reaching only the target's sockets, idempotent repeats, and the
 * quiet and poor-sync marks in the devices list.
 */
import { evictDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { RoomDevice } from '../../../core/rooms/wire.ts';
import {
  type RoomHandle,
  type ServerMessage,
  type TestSocket,
  call,
  createRoom,
  expectError,
  openSocket,
  roomStub,
  signup,
  tryOpenWs,
  unique,
} from '../../support/workers.ts';

const newDeviceId = () => `dev_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;

/** A room socket opened as one device (a viewer link unless `as` says otherwise). */
async function openDevice(
  room: RoomHandle,
  deviceId: string,
  as: 'viewer' | 'controller' | 'owner' = 'viewer',
  label = 'Test screen',
): Promise<TestSocket> {
  const q = new URLSearchParams({ deviceId, device: label });
  if (as !== 'owner') q.set('token', room.links[as]);
  const r = await tryOpenWs(`/api/rooms/${room.id}/ws?${q}`, as === 'owner' ? { auth: room.owner.token } : {});
  if (!('socket' in r)) throw new Error(`socket refused: ${r.status} ${JSON.stringify(r.body)}`);
  await r.socket.next('room-state');
  await r.socket.next('user-count');
  return r.socket;
}

/** A device route as the owner (Bearer), a controller (?token= or X-Room-Token) or a viewer link. */
function deviceCall(
  room: RoomHandle,
  deviceId: string,
  action: 'identify' | 'reload' | 'disconnect' | 'rename',
  opts: { as?: 'owner' | 'controller' | 'controller-header' | 'viewer'; json?: unknown; key?: string } = {},
) {
  const as = opts.as ?? 'owner';
  const query =
    as === 'controller' ? `?token=${room.links.controller}` : as === 'viewer' ? `?token=${room.links.viewer}` : '';
  const headers: Record<string, string> = {};
  if (as === 'controller-header') headers['X-Room-Token'] = room.links.controller;
  if (opts.key) headers['Idempotency-Key'] = opts.key;
  const path = `/api/rooms/${room.id}/devices/${deviceId}${action === 'rename' ? '' : `/${action}`}${query}`;
  return call(path, {
    method: action === 'rename' ? 'PUT' : 'POST',
    headers,
    ...(as === 'owner' ? { auth: room.owner.token } : {}),
    ...(opts.json !== undefined ? { json: opts.json } : {}),
  });
}

/** The next `devices` list on a panel socket that satisfies `where`. */
const devicesWhere = (
  panel: TestSocket,
  where: (list: RoomDevice[]) => boolean,
  timeoutMs = 3000,
): Promise<ServerMessage> => panel.next('devices', timeoutMs, (m) => where(m.devices));

async function room(): Promise<RoomHandle> {
  return createRoom(await signup(), unique('devices'));
}

describe('device routes by role', () => {
  it('the owner and controllers may act on a device; viewer links get 403', async () => {
    const r = await room();
    const id = newDeviceId();
    const screen = await openDevice(r, id);

    const renamed = await deviceCall(r, id, 'rename', { json: { name: '  Stage   left ' } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.device).toEqual({ deviceId: id, name: 'Stage left', sockets: 1 });

    const identify = await deviceCall(r, id, 'identify', { as: 'controller' });
    expect(identify.status, JSON.stringify(identify.body)).toBe(200);
    const flash = await screen.next('identify');
    expect(flash).toMatchObject({ deviceId: id, name: 'Stage left' });
    expect(flash.untilMs - flash.serverTime).toBe(3000);

    const reload = await deviceCall(r, id, 'reload', { as: 'controller-header' });
    expect(reload.status, JSON.stringify(reload.body)).toBe(200);
    await screen.next('reload');

    for (const action of ['identify', 'reload', 'disconnect'] as const)
      expectError(await deviceCall(r, id, action, { as: 'viewer' }), 403, 'forbidden');
    expectError(await deviceCall(r, id, 'rename', { as: 'viewer', json: { name: 'Mine now' } }), 403, 'forbidden');
    // Nothing a viewer asked for happened: the screen is still open and heard no more.
    expect(await screen.quiet('identify', 200)).toBe(true);
    expect(screen.ws.readyState).toBe(WebSocket.OPEN);
    screen.close();
  });

  it('anonymous callers get 401, and another user 403', async () => {
    const r = await room();
    const id = newDeviceId();
    const screen = await openDevice(r, id);
    const anon = await call(`/api/rooms/${r.id}/devices/${id}/identify`, { method: 'POST' });
    expectError(anon, 401, 'unauthenticated');
    const stranger = await signup();
    expectError(
      await call(`/api/rooms/${r.id}/devices/${id}/identify`, { method: 'POST', auth: stranger.token }),
      403,
      'forbidden',
    );
    screen.close();
  });

  it('an unknown device is 404 device_not_found; a known one not connected now is 409 device_offline', async () => {
    const r = await room();
    expectError(await deviceCall(r, newDeviceId(), 'identify'), 404, 'device_not_found');
    expectError(await deviceCall(r, newDeviceId(), 'rename', { json: { name: 'x' } }), 404, 'device_not_found');
    const id = newDeviceId();
    const screen = await openDevice(r, id);
    screen.close();
    await screen.closed();
    // Wait until the room has seen the close (the list no longer counts the socket).
    const deadline = Date.now() + 3000;
    let a = await deviceCall(r, id, 'identify');
    while (a.status === 200 && Date.now() < deadline) a = await deviceCall(r, id, 'identify');
    expectError(a, 409, 'device_offline');
    // A device not connected can still be renamed.
    const renamed = await deviceCall(r, id, 'rename', { json: { name: 'Lobby' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.device).toEqual({ deviceId: id, name: 'Lobby', sockets: 0 });
  });

  it('bad ids and bodies are 400 with a clear message, and change nothing', async () => {
    const r = await room();
    const id = newDeviceId();
    const screen = await openDevice(r, id);
    await deviceCall(r, id, 'rename', { json: { name: 'Before' } });

    const badId = await deviceCall(r, 'bad id!', 'identify');
    expectError(badId, 400, 'validation_failed');
    expect(badId.body.error.message).toMatch(/letters, digits/);
    expectError(await deviceCall(r, 'short', 'identify'), 400, 'validation_failed');

    const notString = await deviceCall(r, id, 'rename', { json: { name: 5 } });
    expectError(notString, 400, 'validation_failed');
    expect(notString.body.error.message).toMatch(/^name: /);
    expectError(await deviceCall(r, id, 'rename', { json: {} }), 400, 'validation_failed');
    expectError(await deviceCall(r, id, 'rename', { json: { name: 'x', extra: 1 } }), 400, 'validation_failed');
    const noJson = await call(`/api/rooms/${r.id}/devices/${id}`, {
      method: 'PUT',
      raw: '{"name":',
      headers: { 'Content-Type': 'application/json' },
      auth: r.owner.token,
    });
    expectError(noJson, 400, 'invalid_json');

    // The name cap: 60 characters pass, 61 are refused with the limit in the message.
    const tooLong = await deviceCall(r, id, 'rename', { json: { name: 'n'.repeat(61) } });
    expectError(tooLong, 400, 'validation_failed');
    expect(tooLong.body.error.message).toContain('at most 60 characters');

    const panel = await openDevice(r, newDeviceId(), 'owner', 'Panel');
    const list = await devicesWhere(panel, (l) => l.some((d) => d.deviceId === id));
    expect(list.devices.find((d: RoomDevice) => d.deviceId === id).name).toBe('Before');

    const longest = await deviceCall(r, id, 'rename', { json: { name: 'n'.repeat(60) } });
    expect(longest.status).toBe(200);
    expect(longest.body.device.name).toBe('n'.repeat(60));
    // An empty name (or null) clears it.
    const cleared = await deviceCall(r, id, 'rename', { json: { name: '   ' } });
    expect(cleared.body.device.name).toBeNull();
    screen.close();
    panel.close();
  });
});

describe('the device registry', () => {
  it('a rename persists across a reconnect, and a closed device is listed offline with its last-seen time', async () => {
    const r = await room();
    const id = newDeviceId();
    const panel = await openDevice(r, newDeviceId(), 'owner', 'Panel');
    let screen = await openDevice(r, id, 'viewer', 'Chrome on Linux');
    await devicesWhere(panel, (l) => l.some((d) => d.deviceId === id && d.online));
    expect((await deviceCall(r, id, 'rename', { json: { name: 'Stage left' } })).status).toBe(200);
    await devicesWhere(panel, (l) => l.some((d) => d.deviceId === id && d.name === 'Stage left'));

    screen.close();
    await screen.closed();
    const off = await devicesWhere(panel, (l) => l.some((d) => d.deviceId === id && !d.online));
    const row = off.devices.find((d: RoomDevice) => d.deviceId === id);
    expect(row).toMatchObject({
      name: 'Stage left',
      device: 'Chrome on Linux',
      online: false,
      role: 'viewer',
      connectedAt: null,
      quiet: false,
    });
    expect(row.lastSeenAt).toBeGreaterThan(0);
    expect(row.lastSeenAt).toBeLessThanOrEqual(off.serverTime);
    // Offline devices come after every connected one.
    const firstOffline = off.devices.findIndex((d: RoomDevice) => !d.online);
    expect(off.devices.slice(firstOffline).every((d: RoomDevice) => !d.online)).toBe(true);

    // The same browser comes back (a new socket, the same device id): the name is still there.
    await roomStub(r.id).stats(); // a round trip, so the close is recorded before the reconnect
    screen = await openDevice(r, id, 'viewer', 'Chrome on Linux');
    const back = await devicesWhere(panel, (l) => l.some((d) => d.deviceId === id && d.online));
    const rows = back.devices.filter((d: RoomDevice) => d.deviceId === id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'Stage left', device: 'Chrome on Linux', online: true });
    // And identify shows that name on its screen.
    await deviceCall(r, id, 'identify');
    expect((await screen.next('identify')).name).toBe('Stage left');
    screen.close();
    panel.close();
  });

  it('names and sockets survive the room being evicted (hibernated sockets, registry in storage)', async () => {
    const r = await room();
    const id = newDeviceId();
    const screen = await openDevice(r, id);
    expect((await deviceCall(r, id, 'rename', { json: { name: 'Balcony' } })).status).toBe(200);
    await evictDurableObject(roomStub(r.id), { webSockets: 'hibernate' });
    // The woken room still knows the name and still finds the hibernated socket by its device.
    const identify = await deviceCall(r, id, 'identify');
    expect(identify.status, JSON.stringify(identify.body)).toBe(200);
    expect(identify.body.device).toEqual({ deviceId: id, name: 'Balcony', sockets: 1 });
    expect((await screen.next('identify')).name).toBe('Balcony');
    const panel = await openDevice(r, newDeviceId(), 'owner', 'Panel');
    await devicesWhere(panel, (l) => l.some((d) => d.deviceId === id && d.online && d.name === 'Balcony'));
    screen.close();
    panel.close();
  });

  it('identify falls back to the browser label when the device has no name', async () => {
    const r = await room();
    const id = newDeviceId();
    const screen = await openDevice(r, id, 'viewer', 'Firefox on Mac');
    expect((await deviceCall(r, id, 'identify')).status).toBe(200);
    expect((await screen.next('identify')).name).toBe('Firefox on Mac');
    screen.close();
  });

  it('a socket without a device id opens, is listed with deviceId null, and cannot be targeted', async () => {
    const r = await room();
    const panel = await openDevice(r, newDeviceId(), 'owner', 'Panel');
    const plain = await openSocket(r.id, { token: r.links.viewer });
    const bad = await tryOpenWs(
      `/api/rooms/${r.id}/ws?token=${r.links.viewer}&deviceId=${encodeURIComponent('no good!')}`,
    );
    expect('socket' in bad).toBe(true);
    const list = await devicesWhere(panel, (l) => l.filter((d) => d.role === 'viewer').length === 2);
    expect(
      list.devices.filter((d: RoomDevice) => d.role === 'viewer').every((d: RoomDevice) => d.deviceId === null),
    ).toBe(true);
    plain.close();
    if ('socket' in bad) bad.socket.close();
    panel.close();
  });
});

describe('identify, reload and disconnect reach only the target', () => {
  it('identify and reload reach only the chosen device’s socket', async () => {
    const r = await room();
    const [a, b] = [newDeviceId(), newDeviceId()];
    const sa = await openDevice(r, a);
    const sb = await openDevice(r, b);
    const panel = await openDevice(r, newDeviceId(), 'owner', 'Panel');

    expect((await deviceCall(r, a, 'identify')).status).toBe(200);
    await sa.next('identify');
    expect((await deviceCall(r, b, 'reload')).status).toBe(200);
    await sb.next('reload');
    expect(await sb.quiet('identify', 300)).toBe(true);
    expect(await sa.quiet('reload', 0)).toBe(true);
    expect(panel.log.some((m) => m.type === 'identify' || m.type === 'reload')).toBe(false);
    for (const s of [sa, sb, panel]) s.close();
  });

  it('disconnect closes every socket of that device with 4409, and no other', async () => {
    const r = await room();
    const [a, b] = [newDeviceId(), newDeviceId()];
    const a1 = await openDevice(r, a);
    const a2 = await openDevice(r, a);
    const sb = await openDevice(r, b);
    const panel = await openDevice(r, newDeviceId(), 'controller', 'Panel');

    const answer = await deviceCall(r, a, 'disconnect', { as: 'controller' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.device.sockets).toBe(2);
    for (const s of [a1, a2]) expect(await s.closed()).toMatchObject({ code: 4409 });
    // B and the panel are still connected and answered.
    sb.send({ type: 'ping', t0: 1 });
    expect((await sb.next('pong')).t0).toBe(1);
    panel.send({ type: 'ping', t0: 2 });
    expect((await panel.next('pong')).t0).toBe(2);
    const list = await devicesWhere(panel, (l) => l.some((d) => d.deviceId === a && !d.online));
    expect(list.devices.filter((d: RoomDevice) => d.deviceId === b && d.online)).toHaveLength(1);
    sb.close();
    panel.close();
  });
});

describe('idempotency and socket commands', () => {
  it('a repeated Idempotency-Key returns the first answer and does not act again', async () => {
    const r = await room();
    const id = newDeviceId();
    const screen = await openDevice(r, id);
    const key = unique('key');
    const first = await deviceCall(r, id, 'identify', { key });
    const again = await deviceCall(r, id, 'identify', { key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    await screen.next('identify');
    expect(await screen.quiet('identify', 300)).toBe(true);

    // The same key for another command is refused and changes nothing.
    const other = await deviceCall(r, id, 'disconnect', { key });
    expectError(other, 422, 'idempotency_key_reused');
    expect(screen.ws.readyState).toBe(WebSocket.OPEN);

    // A repeated disconnect answers as the first did (not "offline"), and closes nothing new.
    const dkey = unique('key');
    const d1 = await deviceCall(r, id, 'disconnect', { key: dkey });
    expect(d1.status).toBe(200);
    expect((await screen.closed()).code).toBe(4409);
    const d2 = await deviceCall(r, id, 'disconnect', { key: dkey });
    expect(d2.status).toBe(200);
    expect(d2.body).toEqual(d1.body);
  });

  it('panels send device commands over the socket; a viewer socket is refused', async () => {
    const r = await room();
    const id = newDeviceId();
    const screen = await openDevice(r, id);
    const panel = await openDevice(r, newDeviceId(), 'controller', 'Panel');
    panel.send({ type: 'command', id: 'c1', command: { type: 'rename-device', deviceId: id, name: 'Foyer' } });
    await panel.next('ack', 2000, (m) => m.id === 'c1');
    panel.send({ type: 'command', id: 'c2', command: { type: 'identify-device', deviceId: id } });
    await panel.next('ack', 2000, (m) => m.id === 'c2');
    expect((await screen.next('identify')).name).toBe('Foyer');
    // The same id again: answered, not applied again.
    panel.send({ type: 'command', id: 'c2', command: { type: 'identify-device', deviceId: id } });
    await panel.next('ack', 2000, (m) => m.id === 'c2');
    expect(await screen.quiet('identify', 300)).toBe(true);

    panel.send({ type: 'command', id: 'c3', command: { type: 'identify-device', deviceId: newDeviceId() } });
    expect(await panel.next('error', 2000, (m) => m.id === 'c3')).toMatchObject({ code: 'device_not_found' });
    panel.send({ type: 'command', id: 'c4', command: { type: 'rename-device', deviceId: id, name: 'x'.repeat(61) } });
    expect(await panel.next('error', 2000, (m) => m.id === 'c4')).toMatchObject({ code: 'invalid_message' });

    screen.send({ type: 'command', id: 'v1', command: { type: 'disconnect-device', deviceId: id } });
    expect(await screen.next('error', 2000, (m) => m.id === 'v1')).toMatchObject({ code: 'forbidden' });
    expect(screen.ws.readyState).toBe(WebSocket.OPEN);
    screen.close();
    panel.close();
  });
});

describe('device health in the devices list', () => {
  it('a high RTT or a wide spread marks poor sync; a device silent for 45 s is quiet', async () => {
    const r = await room();
    const [good, slow, wide] = [newDeviceId(), newDeviceId(), newDeviceId()];
    const panel = await openDevice(r, newDeviceId(), 'owner', 'Panel');
    const sockets = await Promise.all([good, slow, wide].map((id) => openDevice(r, id)));
    sockets[0]?.send({ type: 'ping', t0: 1, offset: 3, rtt: 40, spread: 4 });
    sockets[1]?.send({ type: 'ping', t0: 1, offset: 3, rtt: 300, spread: 4 });
    sockets[2]?.send({ type: 'ping', t0: 1, offset: 3, rtt: 40, spread: 80 });
    const list = await devicesWhere(panel, (l) =>
      [good, slow, wide].every((id) => l.some((d) => d.deviceId === id && d.rttMs !== null && d.spread !== null)),
    );
    const row = (id: string) => list.devices.find((d: RoomDevice) => d.deviceId === id);
    expect(row(good)).toMatchObject({ poorSync: false, quiet: false, rttMs: 40, spread: 4 });
    expect(row(slow)).toMatchObject({ poorSync: true, rttMs: 300 });
    expect(row(wide)).toMatchObject({ poorSync: true, spread: 80 });
    expect(row(good).lastSeenAt).toBeGreaterThanOrEqual(row(good).connectedAt);

    // 50 s later (the room's clock moved), only the device that pings again is not quiet.
    const stub = roomStub(r.id);
    const now = await stub.testClockTo(0);
    await stub.testClockTo(now + 50_000);
    sockets[0]?.send({ type: 'ping', t0: 2, offset: 3, rtt: 40, spread: 4 });
    const later = await devicesWhere(panel, (l) => l.some((d) => d.deviceId === good && d.lastSeenAt >= now + 50_000));
    const at = (id: string) => later.devices.find((d: RoomDevice) => d.deviceId === id);
    expect(at(good).quiet).toBe(false);
    expect(at(slow).quiet).toBe(true);
    expect(at(wide).quiet).toBe(true);
    for (const s of [...sockets, panel]) s?.close();
  });
});
