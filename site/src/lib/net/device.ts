/**
 * Who this browser is to a room: a short, human label ("Chrome on Android", or ?device=), and a stable random id
 * kept in localStorage, so a name the organiser gives this screen survives reloads and reconnects.
 */

const ID_KEY = 'kt.deviceId';
/** The shape the server accepts (core/rooms/devices.ts). */
const ID_SHAPE = /^[A-Za-z0-9_-]{8,64}$/;
/** When storage is blocked (private mode, a sandboxed frame): one id for this page's life. */
let pageId: string | null = null;

const freshId = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `d_${[...bytes].map((b) => b.toString(36).padStart(2, '0')).join('')}`;
};

/** This browser's stable device id (created on first use). */
export function deviceId(): string {
  try {
    const kept = localStorage.getItem(ID_KEY);
    if (kept && ID_SHAPE.test(kept)) return kept;
    const id = freshId();
    localStorage.setItem(ID_KEY, id);
    return id;
  } catch {
    pageId ??= freshId();
    return pageId;
  }
}

/** A short, human name for this device ("Chrome on Android"), or ?device= when given. */
export function deviceName(): string {
  const given = new URLSearchParams(location.search).get('device');
  if (given) return given.slice(0, 80);
  const ua = navigator.userAgent;
  const os = /iPhone/.test(ua)
    ? 'iPhone'
    : /iPad/.test(ua)
      ? 'iPad'
      : /Android/.test(ua)
        ? 'Android'
        : /Mac OS X/.test(ua)
          ? 'Mac'
          : /Windows/.test(ua)
            ? 'Windows'
            : /CrOS/.test(ua)
              ? 'ChromeOS'
              : /Linux/.test(ua)
                ? 'Linux'
                : 'device';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  return `${browser} on ${os}`;
}
