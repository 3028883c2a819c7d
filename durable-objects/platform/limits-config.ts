/**
 * Caps and quotas: socket upgrades per IP and per object, when a room spreads its viewers over relays, the per-socket frame budget, stored idempotency answers,
 * and per-user quotas. Each has a sane default and an optional environment variable (a wrangler var or `--var`) that
 * overrides it; a value that does not parse falls back to the default, so a typo never lifts a cap.
 */
import { z } from 'zod';

const count = (max: number) => z.coerce.number().int().min(1).max(max);

/** Each tunable: its environment variable, its schema and its default. */
const TUNABLES = {
  /** Open sockets on one object (a room, a user's session, a rack, a floor) from one IP (IPv4 /32, IPv6 /64). */
  socketsPerIp: { env: 'WS_MAX_PER_IP', schema: count(1_000_000), fallback: 200 },
  /** Open sockets on one object in all. A room over it refuses with 409 `room_full`. */
  socketsPerObject: { env: 'WS_MAX_PER_OBJECT', schema: count(32_000), fallback: 5_000 },
  /** Frames a socket may send per second, on average (keep-alives are answered by the runtime and not counted). */
  framesPerSec: { env: 'WS_FRAMES_PER_SEC', schema: count(100_000), fallback: 20 },
  /** Frames a socket may send at once before the rate applies. */
  frameBurst: { env: 'WS_FRAME_BURST', schema: count(100_000), fallback: 40 },
  /** Frames refused with `rate_limited` in one flood before the socket is closed with 1008. */
  floodClose: { env: 'WS_FLOOD_CLOSE_AFTER', schema: count(1_000_000), fallback: 100 },
  /** Viewers in one room (on the room and its relays) past which share-link viewers go to relays (rooms/relays.ts). */
  relayThreshold: { env: 'RELAY_THRESHOLD', schema: count(1_000_000), fallback: 2_000 },
  /** Viewers one relay is meant to hold: a room past the threshold spreads over ceil(viewers / this) relays. */
  viewersPerRelay: { env: 'VIEWERS_PER_RELAY', schema: count(32_000), fallback: 2_000 },
  /** Stored idempotency answers per object (oldest evicted first; each also expires after 24 h). */
  idempotencyAnswers: { env: 'IDEMPOTENCY_MAX_ANSWERS', schema: count(1_000_000), fallback: 1_000 },
  /** Rooms one account may own. */
  roomsPerUser: { env: 'QUOTA_ROOMS_PER_USER', schema: count(1_000_000), fallback: 100 },
  /** Racks one user may hold at once. */
  racksPerUser: { env: 'QUOTA_RACKS_PER_USER', schema: count(10_000), fallback: 3 },
  /** Live sessions one user may start in any hour. */
  sessionStartsPerHour: { env: 'QUOTA_SESSION_STARTS_PER_HOUR', schema: count(1_000_000), fallback: 120 },
} as const;

export type Limits = { readonly [K in keyof typeof TUNABLES]: number };

/** The defaults, as used when no variable is set. */
export const DEFAULT_LIMITS = Object.fromEntries(Object.entries(TUNABLES).map(([k, t]) => [k, t.fallback])) as Limits;

/** The caps and quotas `env` configures (each unset or invalid one at its default). */
export function readLimits(env: object): Limits {
  const vars = env as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const [k, t] of Object.entries(TUNABLES)) {
    const raw = vars[t.env];
    const r = raw === undefined || raw === '' ? null : t.schema.safeParse(raw);
    out[k] = r?.success ? r.data : t.fallback;
  }
  return out as Limits;
}

/** The header in which the Worker tells an object the client's IP prefix; the objects count sockets by it. */
export const PEER_HEADER = 'X-KT-Peer';

/** The IP prefix a client's sockets are counted under: IPv4 /32, IPv6 /64 (one household or one phone's range). */
export function ipPrefix(ip: string | null | undefined): string {
  if (!ip) return 'unknown';
  if (!ip.includes(':')) return ip.trim();
  const head = ip.split('::')[0] ?? '';
  const groups = ip.includes('::')
    ? [...head.split(':').filter(Boolean), '0', '0', '0', '0'].slice(0, 4)
    : ip.split(':').slice(0, 4);
  return `${groups.map((g) => g.toLowerCase()).join(':')}::/64`;
}

/** The header an upgrade forwarded to an object carries: the client's IP prefix (CF-Connecting-IP; never X-Forwarded-For). */
export function peerHeader(connectingIp: string | null | undefined): Record<string, string> {
  return { [PEER_HEADER]: ipPrefix(connectingIp) };
}
