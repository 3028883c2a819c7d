/**
 * A room's presence and devices: the head count every socket hears, the devices list owners and controllers see,
 * the registry of known devices (by the browser's stable id: name, role, first and last seen) and the device
 * commands (rename, identify, reload, disconnect). The TimerRoom composes one; role checks stay in the room.
 */
import { z } from 'zod';
import {
  DEVICES,
  type KnownDevice,
  cleanName,
  evicted,
  isPoorSync,
  isQuiet,
  offlineDevices,
} from '../../core/rooms/devices.ts';
import { CLOSE } from '../../core/errors.ts';
import { type RoomClientMessage, type RoomCommandInput, roomClientMessage } from '../../core/protocol.ts';
import type { RoomDevice, RoomServerMessage } from '../../core/rooms/wire.ts';
import { Coalescer } from '../platform/coalescer.ts';
import { type IdempotencyLog, commandHash } from '../platform/idempotency.ts';
import { LazyTables } from '../platform/lazy-tables.ts';
import { SocketHub, type SocketMeta, type SocketSpec } from '../platform/sockets.ts';
import type { RoomRelays } from './relays.ts';

/** The room's part of a socket's attachment: the role and share-link generation it opened with, its device and clock. */
export const roomSocket = z.object({
  role: z.enum(['owner', 'controller', 'viewer']),
  /** Generation of the share token the socket was opened with (0 for account auth). */
  tokenGen: z.number().int(),
  ticks: z.boolean(),
  offsetMs: z.number().nullable(),
  rttMs: z.number().nullable(),
  // Attachments written before devices had ids lack these: read as "none yet".
  deviceId: z.string().nullable().default(null),
  lastPingAt: z.number().nullable().default(null),
  spread: z.number().nullable().default(null),
});
export type RoomSocket = z.infer<typeof roomSocket>;
type Meta = SocketMeta<RoomSocket>;
export type RoomSocketMeta = Meta;

/** A room socket, on the room or on a relay: its attachment part and the frames a client may send. */
export const roomSockets: SocketSpec<RoomSocket, RoomClientMessage> = {
  key: 'room',
  meta: roomSocket,
  messages: roomClientMessage,
};

/** A device command over HTTP or the socket. */
export type DeviceCommandInput = Extract<
  RoomCommandInput,
  { type: 'rename-device' | 'identify-device' | 'reload-device' | 'disconnect-device' }
>;
/** What a device command did, as its answer carries it. */
export interface DeviceResult {
  deviceId: string;
  name: string | null;
  /** Sockets the command reached (0 for a rename of a device not connected now). */
  sockets: number;
}
type DeviceAnswer = ({ ok: true } & DeviceResult) | { ok: false; code: string; message: string };

const DEVICE_TYPES: ReadonlySet<string> = new Set([
  'rename-device',
  'identify-device',
  'reload-device',
  'disconnect-device',
]);
export const isDeviceCommand = (c: { type: string }): c is DeviceCommandInput => DEVICE_TYPES.has(c.type);

/** Presence goes out at most this often: a flash crowd joining would otherwise send N messages to each of N sockets. */
const PRESENCE_GAP_MS = 500;
/** The devices list names every owner and controller socket, and viewers up to this many (with the total). */
const DEVICES_LISTED = 200;
/** A ping refreshes the panels' view of a device when its previous ping is at least this old (not every burst ping). */
const SEEN_REFRESH_MS = 10_000;
const REUSED = 'This idempotency key was already used for a different command';

/** The socket tag of a device's sockets. */
export const deviceTag = (deviceId: string) => `dev:${deviceId}`;

/** What the registry needs from its room. */
export interface DevicesHost {
  hub: SocketHub<RoomSocket>;
  sql: SqlStorage;
  idempotency: () => IdempotencyLog;
  now: () => number;
  stamp: <T extends object>(msg: T) => T & { version: number; serverTime: number };
  /** Runs a synchronous storage transaction (then arms the alarm). */
  commit: (write: () => void) => Promise<void>;
  /** The room's relays: their viewers count in presence, and device commands reach their sockets. */
  relays: Pick<RoomRelays, 'viewers' | 'holdsDevice' | 'presence' | 'device'>;
}

const registryTable = (sql: SqlStorage) =>
  new LazyTables(sql, 'devices', [
    `CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, name TEXT, label TEXT, role TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL)`,
  ]);

type Row = {
  id: string;
  name: string | null;
  label: string | null;
  role: string;
  first_seen: number;
  last_seen: number;
};

export class RoomDevices {
  private table: LazyTables;
  /** The registry, read once per instance life (at most DEVICES.registryCap rows). */
  private cache: Map<string, KnownDevice> | null = null;
  /** When each device's last-seen time was last written (in memory: a woken object writes on the first ping). */
  private readonly persistedAt = new Map<string, number>();

  constructor(private readonly host: DevicesHost) {
    this.table = registryTable(host.sql);
  }

  // ── Presence ───────────────────────────────────────────────────────────
  /** Counted by the role tags every socket is accepted with (O(1): SocketHub.count), plus the relays' viewers. */
  presence(): { viewers: number; controllers: number } {
    const viewers = this.host.hub.count('viewer');
    return { viewers: viewers + this.host.relays.viewers(), controllers: this.host.hub.count() - viewers };
  }

  /** Presence to everyone, and the devices list to owners and controllers, each at most every PRESENCE_GAP_MS. */
  /** A head count was asked for and not sent yet (a trailing run is owed). */
  private presenceOwed = false;
  private readonly presenceGate = new Coalescer(PRESENCE_GAP_MS, () => {
    this.presenceOwed = false;
    const heads = this.presence();
    this.host.hub.broadcast(this.host.stamp({ type: 'user-count', ...heads }) satisfies RoomServerMessage);
    this.host.relays.presence(heads);
    this.devicesGate.now();
  });
  private readonly devicesGate = new Coalescer(PRESENCE_GAP_MS, () => {
    const hub = this.host.hub;
    const panels = [...hub.sockets('owner'), ...hub.sockets('controller')];
    if (panels.length === 0) return;
    const msg = this.host.stamp({ type: 'devices', ...this.list(panels) }) satisfies RoomServerMessage;
    for (const ws of panels) hub.send(ws, msg);
  });

  broadcastPresence(): void {
    this.presenceOwed = true;
    this.presenceGate.request();
  }

  /**
   * The alarm's safety net (the room's presence row, due with its ops report): sends the head count if a trailing run
   * is still owed. Under a join storm a coalescer's timer was seen not to fire, leaving `user-count` behind for good.
   */
  flushPresence(): void {
    if (this.presenceOwed) this.presenceGate.now();
  }

  broadcastDevices(): void {
    this.devicesGate.request();
  }

  /** Connected devices (panels first, viewers up to DEVICES_LISTED), then known devices offline now. */
  list(panels: WebSocket[]): { devices: RoomDevice[]; total: number } {
    const hub = this.host.hub;
    const now = this.host.now();
    const known = this.known();
    const viewers = hub.sockets('viewer');
    const online: RoomDevice[] = [...panels, ...viewers.slice(0, DEVICES_LISTED)]
      .map((ws) => hub.meta(ws))
      .filter((m): m is Meta => m !== null)
      .map((m) => {
        const lastSeenAt = m.lastPingAt ?? m.connectedAt;
        return {
          sid: m.sid,
          role: m.role,
          device: m.device,
          offsetMs: m.offsetMs,
          rttMs: m.rttMs,
          connectedAt: m.connectedAt,
          deviceId: m.deviceId,
          name: m.deviceId ? (known.get(m.deviceId)?.name ?? null) : null,
          online: true,
          lastSeenAt,
          quiet: isQuiet(lastSeenAt, now),
          spread: m.spread,
          poorSync: isPoorSync({ rttMs: m.rttMs, spread: m.spread }),
        };
      });
    const connected = new Set(
      [...known.keys()].filter((id) => hub.sockets(deviceTag(id)).length > 0 || this.host.relays.holdsDevice(id)),
    );
    const offline: RoomDevice[] = offlineDevices(known.values(), connected, now).map((d) => ({
      sid: `off:${d.deviceId}`,
      role: d.role,
      device: d.label,
      offsetMs: null,
      rttMs: null,
      connectedAt: null,
      deviceId: d.deviceId,
      name: d.name,
      online: false,
      lastSeenAt: d.lastSeenAt,
      quiet: false,
      spread: null,
      poorSync: false,
    }));
    return { devices: [...online, ...offline], total: panels.length + viewers.length + this.host.relays.viewers() };
  }

  // ── Socket life ────────────────────────────────────────────────────────
  /** A socket opened: its device is known from now on (and seen now). */
  connected(meta: Meta): void {
    if (meta.deviceId) this.touch(meta.deviceId, meta, meta.connectedAt);
    this.broadcastPresence();
  }

  /** A viewer seated on a relay: its device is known from now on (the relay's report counts it). */
  seen(deviceId: string, who: { role: string; device: string | null }): void {
    this.touch(deviceId, who, this.host.now());
  }

  /** A socket closed: its device's last-seen time is written now. */
  closed(meta: Meta | null): void {
    if (meta?.deviceId && this.known().has(meta.deviceId)) this.touch(meta.deviceId, meta, this.host.now());
    this.broadcastPresence();
  }

  /** The client named itself. */
  hello(ws: WebSocket, meta: Meta, device: string | null): void {
    this.host.hub.setMeta(ws, { ...meta, device });
    if (meta.deviceId) this.touch(meta.deviceId, { ...meta, device }, this.host.now());
    this.broadcastDevices();
  }

  /** A ping's clock report: kept in the attachment; the registry's last-seen time is written at most every 30 s. */
  pinged(ws: WebSocket, meta: Meta, ping: { offset?: number; rtt?: number; spread?: number }): void {
    const now = this.host.now();
    const round = (v: number) => Math.round(v * 10) / 10;
    const offsetMs = ping.offset === undefined ? meta.offsetMs : round(ping.offset);
    const rttMs = ping.rtt === undefined ? meta.rttMs : round(ping.rtt);
    const spread = ping.spread === undefined ? meta.spread : round(ping.spread);
    const clockChanged =
      ping.offset !== undefined &&
      ping.rtt !== undefined &&
      (meta.offsetMs === null ||
        Math.abs(meta.offsetMs - ping.offset) >= 2 ||
        Math.abs((meta.rttMs ?? 0) - ping.rtt) >= 5);
    const stale = meta.lastPingAt === null || now - meta.lastPingAt >= SEEN_REFRESH_MS;
    const healthFlip =
      spread !== meta.spread &&
      isPoorSync({ rttMs, spread }) !== isPoorSync({ rttMs: meta.rttMs, spread: meta.spread });
    this.host.hub.setMeta(ws, { ...meta, offsetMs, rttMs, spread, lastPingAt: now });
    if (meta.deviceId) {
      const last = this.persistedAt.get(meta.deviceId);
      if (last === undefined || now - last >= DEVICES.persistEveryMs) this.touch(meta.deviceId, meta, now);
      else {
        const d = this.known().get(meta.deviceId);
        if (d) d.lastSeenAt = now;
      }
    }
    if (clockChanged || stale || healthFlip) this.broadcastDevices();
  }

  // ── Commands ───────────────────────────────────────────────────────────
  /** Runs a device command (the caller checked the role). Retries with the same key get the first answer. */
  async command(input: DeviceCommandInput, key: string | null): Promise<DeviceAnswer> {
    const hash = key ? await commandHash('command', input) : null;
    const log = this.host.idempotency();
    if (key) {
      const earlier = log.recall<DeviceAnswer>(key, hash);
      if (earlier.kind === 'reused') return { ok: false, code: 'idempotency_key_reused', message: REUSED };
      if (earlier.kind === 'replay') return earlier.answer;
    }
    const now = this.host.now();
    const hub = this.host.hub;
    const device = this.known().get(input.deviceId);
    const targets = hub.sockets(deviceTag(input.deviceId));
    const remote = this.host.relays.holdsDevice(input.deviceId);
    let answer: DeviceAnswer;
    if (!device) answer = { ok: false, code: 'device_not_found', message: 'This room has never seen that device' };
    else if (input.type !== 'rename-device' && targets.length === 0 && !remote)
      answer = { ok: false, code: 'device_offline', message: 'That device is not connected now' };
    else {
      const name = input.type === 'rename-device' ? cleanName(input.name ?? '') : device.name;
      answer = { ok: true, deviceId: device.deviceId, name, sockets: targets.length };
    }
    await this.host.commit(() => {
      if (answer.ok && input.type === 'rename-device') {
        this.table.ensure();
        this.host.sql.exec(`UPDATE devices SET name = ? WHERE id = ?`, answer.name, input.deviceId);
      }
      if (key) log.put(key, answer, now, hash);
    });
    if (!answer.ok || !device) return answer;
    if (input.type === 'rename-device') {
      device.name = answer.name;
      this.broadcastDevices();
      return answer;
    }
    const deviceId = device.deviceId;
    const untilMs = now + DEVICES.identifyMs;
    const label = device.name ?? (targets[0] ? hub.meta(targets[0])?.device : null) ?? device.label ?? 'Unnamed device';
    if (input.type === 'identify-device') {
      for (const ws of targets)
        hub.send(ws, { type: 'identify', deviceId, name: label, untilMs, serverTime: now } satisfies RoomServerMessage);
    } else if (input.type === 'reload-device') {
      for (const ws of targets) hub.send(ws, { type: 'reload', serverTime: now } satisfies RoomServerMessage);
    } else {
      for (const ws of targets) SocketHub.close(ws, CLOSE.disconnected, 'disconnected by the organiser');
      this.broadcastPresence();
    }
    if (!remote) return answer;
    // The device's sockets on relays (after the commit: nothing awaits between the recall and the put).
    const type =
      input.type === 'identify-device' ? 'identify' : input.type === 'reload-device' ? 'reload' : 'disconnect';
    const reached = await this.host.relays.device({ type, deviceId, name: label, untilMs });
    return { ...answer, sockets: answer.sockets + reached };
  }

  // ── Registry ───────────────────────────────────────────────────────────
  private known(): Map<string, KnownDevice> {
    if (this.cache) return this.cache;
    const rows = this.table.exists()
      ? this.host.sql.exec<Row>(`SELECT id, name, label, role, first_seen, last_seen FROM devices`).toArray()
      : [];
    this.cache = new Map(
      rows.map((r) => [
        r.id,
        {
          deviceId: r.id,
          name: r.name,
          label: r.label,
          role: r.role,
          firstSeenAt: r.first_seen,
          lastSeenAt: r.last_seen,
        },
      ]),
    );
    return this.cache;
  }

  /** Records a device as seen at `at`, adding it (and evicting the longest unseen over the cap). */
  private touch(deviceId: string, seen: { role: string; device: string | null }, at: number): void {
    const known = this.known();
    const d = known.get(deviceId);
    const { role, device: label } = seen;
    if (d) {
      d.lastSeenAt = Math.max(d.lastSeenAt, at);
      d.role = role;
      d.label = label ?? d.label;
    } else known.set(deviceId, { deviceId, name: null, label, role, firstSeenAt: at, lastSeenAt: at });
    const entry = known.get(deviceId) as KnownDevice;
    const gone = d ? [] : evicted(known.values(), new Set([deviceId]));
    this.table.ensure();
    this.host.sql.exec(
      `INSERT INTO devices (id, name, label, role, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET label = excluded.label, role = excluded.role,
         last_seen = MAX(last_seen, excluded.last_seen)`,
      deviceId,
      entry.name,
      entry.label,
      role,
      entry.firstSeenAt,
      entry.lastSeenAt,
    );
    for (const id of gone) {
      this.host.sql.exec(`DELETE FROM devices WHERE id = ?`, id);
      known.delete(id);
      this.persistedAt.delete(id);
    }
    this.persistedAt.set(deviceId, at);
  }

  /** Forgets the in-memory registry (after the room's storage was wiped). */
  reset(): void {
    this.table = registryTable(this.host.sql);
    this.cache = null;
    this.persistedAt.clear();
  }
}
