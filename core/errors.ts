/**
 * Error codes → HTTP statuses, WebSocket close codes, limits, and the one
 * answer shape that crosses every Durable Object boundary: written once.
 * No zod and no I/O here, so the site can import it without growing a bundle.
 */

// ── Limits ─────────────────────────────────────────────────────────────────
export const LIMITS = {
  /** Largest accepted HTTP JSON body, in bytes. */
  httpBody: 64 * 1024,
  /** Largest accepted WebSocket message, in bytes. */
  wsMessage: 16 * 1024,
  label: 200,
  message: 500,
  name: 120,
  /** Crew or presenter notes on one timer. */
  notes: 2000,
  /** About 100 days, the longest duration or adjustment accepted. */
  maxDurationMs: 100 * 24 * 3_600_000,
  idempotencyKey: 128,
  /** At most this many scan records in one POST /api/sync/batch (the site batches by it too). */
  batchRecords: 100,
} as const;

// ── Error codes → HTTP statuses ──────────────────────────────────────────────
/**
 * The HTTP status of each error code that is not the default 409. The order
 * matters: a bare Hono HTTPException takes the first code with its status.
 */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  forbidden_origin: 403,
  webhook_not_found: 404,
  delivery_not_found: 404,
  not_found: 404,
  room_not_found: 404,
  timer_not_found: 404,
  rack_not_found: 404,
  floor_not_found: 404,
  rack_session_not_found: 404,
  device_not_found: 404,
  // Session entries, projects and tasks (issue 14).
  entry_not_found: 404,
  project_not_found: 404,
  task_not_found: 404,
  invalid_entry: 400,
  email_taken: 409,
  rate_limited: 429,
  too_many_connections: 429,
  idempotency_key_reused: 422,
  capacity_reached: 409,
  quota_exceeded: 409,
  misconfigured: 503,
  // Racks extensions (conflicts, warehouse admin).
  conflict_not_found: 404,
  duplicate_item: 400,
  floor_full: 409,
  /** Storage caps of a rack's audit (core/racks/batch.ts). */
  too_many_items: 409,
  too_many_conflicts: 409,
  upgrade_required: 426,
  // Racks at warehouse grade (issue 15): reviews and stock import.
  review_not_found: 404,
  review_item_not_found: 404,
  invalid_import: 422,
};
/** A domain refusal is a conflict with the current state unless its code says otherwise. */
const DEFAULT_ERROR_STATUS = 409;
export const statusFor = (code: string): number => ERROR_STATUS[code] ?? DEFAULT_ERROR_STATUS;

// ── WebSocket close codes ──────────────────────────────────────────────────
/**
 * Close codes the objects send and the site's sockets act on. The 44xx codes
 * mirror the HTTP status a refused upgrade would have had; a socket closed
 * with a final code does not reconnect.
 */
export const CLOSE = {
  normal: 1000,
  /** The socket's stored attachment did not validate after a wake-up. */
  invalidSession: 1008,
  /** The socket kept sending past its frame budget (policy violation, as 1008 says); the site reconnects. */
  flooded: 1008,
  /** The share link the socket opened with was rotated. */
  rotated: 4001,
  unauthenticated: 4401,
  forbidden: 4403,
  /** The room was deleted. */
  deleted: 4404,
  /** The room's owner or a controller disconnected this device: final, the screen does not reconnect by itself. */
  disconnected: 4409,
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

// ── The answer shape across Durable Object boundaries ──────────────────────
/** A refusal: an error code (its HTTP status comes from `statusFor`), a message and optional details. */
export type Refusal = { ok: false; code: string; message: string; details?: Details };
/** Refusal details are flat JSON values, so the answer keeps its type across an RPC boundary. */
export type Details = { [key: string]: string | number | boolean | null | undefined };
/** What every Durable Object RPC method that can refuse returns. */
export type Answer<T> = { ok: true; value: T } | Refusal;

export const accept = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const refuse = (code: string, message: string, details?: Details): Refusal =>
  details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };

/** The HTTP error body: `{ error: { code, message, details? } }`. */
export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
