/**
 * Device health and the device registry's rules, pure: when a connected screen counts as quiet or poorly synced,
 * which known devices are listed as offline, and which entries a full registry drops. No clock: `now` is passed in.
 */

// ── Limits ─────────────────────────────────────────────────────────────────
export const DEVICES = {
  /** A device id: what the site's localStorage id looks like (and no longer). */
  idPattern: /^[A-Za-z0-9_-]{8,64}$/,
  /** An owner-given device name, in characters. */
  nameMax: 60,
  /** Known devices a room remembers; the one seen longest ago goes first. */
  registryCap: 500,
  /** A connected device with no ping for longer than this is quiet (clients ping every ~30 s). */
  quietMs: 45_000,
  /** Known devices seen within this long, not connected now, are listed as offline. */
  offlineWindowMs: 24 * 3_600_000,
  /** Offline devices listed, most recently seen first. */
  offlineListed: 50,
  /** A connected device's last-seen time is written to storage at most this often (and on close). */
  persistEveryMs: 30_000,
  /** How long `identify` flashes a screen. */
  identifyMs: 3_000,
  /** Round trips above this many ms are poor sync. */
  poorRttMs: 250,
  /** An offset spread (the ping samples' disagreement) above this many ms is poor sync. */
  poorSpreadMs: 50,
} as const;

/** What the device actions do, by command and route name. */
export type DeviceAction = 'rename' | 'identify' | 'reload' | 'disconnect';

// ── Health ─────────────────────────────────────────────────────────────────
/** Whether a device's clock report is poor: a high round trip or a wide spread of offset samples. */
export function isPoorSync(report: { rttMs: number | null; spread: number | null }): boolean {
  return (
    (report.rttMs !== null && report.rttMs > DEVICES.poorRttMs) ||
    (report.spread !== null && report.spread > DEVICES.poorSpreadMs)
  );
}

/** Whether a connected device last heard from at `lastSeenAt` has gone quiet by `now`. */
export function isQuiet(lastSeenAt: number, now: number): boolean {
  return now - lastSeenAt > DEVICES.quietMs;
}

// ── Registry ───────────────────────────────────────────────────────────────
/** A device the room has seen, by its stable id. */
export interface KnownDevice {
  deviceId: string;
  /** The owner-given name, or null. */
  name: string | null;
  /** The browser's own label when last seen ("Chrome on Mac"). */
  label: string | null;
  role: string;
  firstSeenAt: number;
  lastSeenAt: number;
}

/**
 * The known devices to list as offline: not connected now, seen within the offline window, most recent first,
 * at most `DEVICES.offlineListed`.
 */
export function offlineDevices(known: Iterable<KnownDevice>, online: ReadonlySet<string>, now: number): KnownDevice[] {
  return [...known]
    .filter((d) => !online.has(d.deviceId) && now - d.lastSeenAt <= DEVICES.offlineWindowMs)
    .sort((a, b) => b.lastSeenAt - a.lastSeenAt || (a.deviceId < b.deviceId ? -1 : 1))
    .slice(0, DEVICES.offlineListed);
}

/** The ids a registry over `cap` drops: the ones seen longest ago, never one connected now. */
export function evicted(
  known: Iterable<KnownDevice>,
  online: ReadonlySet<string>,
  cap: number = DEVICES.registryCap,
): string[] {
  const all = [...known];
  if (all.length <= cap) return [];
  return all
    .filter((d) => !online.has(d.deviceId))
    .sort((a, b) => a.lastSeenAt - b.lastSeenAt || (a.deviceId < b.deviceId ? -1 : 1))
    .slice(0, all.length - cap)
    .map((d) => d.deviceId);
}

/** A device name as stored: trimmed, inner whitespace runs folded to one space; empty means no name. */
export function cleanName(name: string): string | null {
  const s = name.trim().replace(/\s+/g, ' ');
  return s === '' ? null : s;
}
