/** The admins' Operations API: deep health, live counts, dead letters and replay. */
import { anyBody, api } from '../net/api.ts';
import { apiClient, call } from '../net/client.ts';
import { arrayOf, isNum, isNumOrNull, isRec, isStr, isStrOrNull, oneOf } from '../net/guards.ts';

export interface Dependency {
  ok: boolean;
  latencyMs: number | null;
}

export interface DeepHealth {
  status: 'ok' | 'degraded';
  postgres: Dependency;
  /** null: caching is not configured. */
  redis: Dependency | null;
  timestamp: number;
}

export interface OpsStats {
  sockets: number;
  rooms: { active: number; live: number };
  sessions: { active: number };
  racks: { active: number };
  outbox: { pending: number; oldestPendingAgeMs: number | null };
  deadLetters: number;
  opsSockets: number;
}

export interface DeadLetter {
  eventId: string;
  object: { kind: string; name: string };
  kind: string;
  error: string | null;
  deadAt: number;
}

const isDependency = (v: unknown): v is Dependency =>
  isRec(v) && typeof v.ok === 'boolean' && isNumOrNull(v.latencyMs ?? null);
export const isDeepHealth = (v: unknown): v is DeepHealth =>
  isRec(v) &&
  oneOf('ok', 'degraded')(v.status) &&
  isDependency(v.postgres) &&
  (v.redis === null || isDependency(v.redis)) &&
  isNum(v.timestamp);

const isCount = (key: string) => (v: unknown) => isRec(v) && isNum(v[key]);
export const isOpsStats = (v: unknown): v is OpsStats =>
  isRec(v) &&
  isNum(v.sockets) &&
  isCount('active')(v.rooms) &&
  isRec(v.rooms) &&
  isNum(v.rooms.live) &&
  isCount('active')(v.sessions) &&
  isCount('active')(v.racks) &&
  isCount('pending')(v.outbox) &&
  isRec(v.outbox) &&
  isNumOrNull(v.outbox.oldestPendingAgeMs) &&
  isNum(v.deadLetters) &&
  isNum(v.opsSockets);

export const isDeadLetter = (v: unknown): v is DeadLetter =>
  isRec(v) &&
  isStr(v.eventId) &&
  isRec(v.object) &&
  isStr(v.object.kind) &&
  isStr(v.object.name) &&
  isStr(v.kind) &&
  isStrOrNull(v.error ?? null) &&
  isNum(v.deadAt);
const isDlq = (v: unknown): v is { deadLetters: DeadLetter[] } => isRec(v) && arrayOf(isDeadLetter)(v.deadLetters);

/** Deep health answers with a body even when degraded (503), which is the news here, not an error. */
export const fetchDeepHealth = () => api('/health/deep', isDeepHealth, { accept: [503] });
const ops = apiClient('ops');
export const fetchOpsStats = () => call(ops.ops.stats, '$get', undefined, isOpsStats);
export const fetchDeadLetters = async (): Promise<DeadLetter[]> =>
  (await call(ops.ops.dlq, '$get', undefined, isDlq)).deadLetters;
export const replayDeadLetter = (eventId: string) =>
  call(ops.ops.dlq[':id'].replay, '$post', { param: { id: encodeURIComponent(eventId) } }, anyBody);
const isKick = (v: unknown): v is { kicked: number } => isRec(v) && isNum(v.kicked);
/** Asks every object with pending outbox rows to drain now; answers how many were asked. */
export const kickOutbox = async (): Promise<number> =>
  (await call(ops.ops.outbox.kick, '$post', undefined, isKick)).kicked;
