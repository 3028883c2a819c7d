/**
 * The wire protocol, defined once: zod schemas for every HTTP body and
 * WebSocket message, plus `parseClientMessage(raw) → message | null`.
 */
import { z } from 'zod';

import { LIMITS } from './errors.ts';
import { instantSchema } from './instant.ts';
import { DEVICES } from './rooms/devices.ts';
import { FOCUS_BOUNDS, FOCUS_DEFAULTS, type FocusConfig } from './sessions/focus.ts';
import { SETTINGS_BOUNDS } from './sessions/idle.ts';

/** Re-exported for the schemas' callers; defined in core/errors.ts. */
export { LIMITS };
export { instantSchema };

const ms = z.number().int().min(0).max(LIMITS.maxDurationMs);
/** Epoch ms or an ISO-8601 string (core/instant.ts); epoch seconds are refused by name. */
const instant = instantSchema;
const label = z.string().trim().max(LIMITS.label);

// ── Timer definitions ────────────────────────────────────────────────────
const timerMode = z.enum(['countdown', 'countup', 'time-of-day']);
const timerTrigger = z.enum(['manual', 'linked', 'scheduled']);
const notes = z.string().max(LIMITS.notes);
const buffer = z.strictObject({ minDurationMs: ms });
const chimes = z.strictObject({ warning: z.boolean(), danger: z.boolean(), zero: z.boolean() });
/** An IANA time zone name the runtime knows (Europe/Paris, UTC). */
const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'expected an IANA time zone such as Europe/London or UTC' },
  );
/** Definition fields issue 12 added: the live schedule, notes, buffers and chime overrides. */
const scheduleFields = {
  plannedStart: instant.nullable().optional(),
  notes: notes.optional(),
  buffer: buffer.nullable().optional(),
  chimes: chimes.nullable().optional(),
};
const bufferFits = (t: { durationMs?: number; buffer?: { minDurationMs: number } | null }) =>
  !t.buffer || t.durationMs === undefined || t.buffer.minDurationMs <= t.durationMs;
const BUFFER_MESSAGE = { message: 'buffer.minDurationMs cannot exceed durationMs', path: ['buffer'] };

export const createTimerBody = z
  .strictObject({
    label,
    durationMs: ms,
    mode: timerMode.optional(),
    targetTime: instant.nullable().optional(),
    trigger: timerTrigger.optional(),
    startAt: instant.nullable().optional(),
    warnMs: ms.nullable().optional(),
    dangerMs: ms.nullable().optional(),
    ...scheduleFields,
  })
  .refine(bufferFits, BUFFER_MESSAGE)
  .refine((t) => t.trigger !== 'scheduled' || typeof t.startAt === 'number', {
    message: 'a scheduled timer needs startAt',
    path: ['startAt'],
  })
  .refine((t) => t.mode !== 'time-of-day' || typeof t.targetTime === 'number', {
    message: 'a time-of-day timer needs targetTime',
    path: ['targetTime'],
  });

export const updateTimerBody = z
  .strictObject({
    label: label.optional(),
    durationMs: ms.optional(),
    mode: timerMode.optional(),
    targetTime: instant.nullable().optional(),
    trigger: timerTrigger.optional(),
    startAt: instant.nullable().optional(),
    warnMs: ms.nullable().optional(),
    dangerMs: ms.nullable().optional(),
    ...scheduleFields,
  })
  .refine(bufferFits, BUFFER_MESSAGE)
  .refine((o) => Object.keys(o).length > 0, { message: 'nothing to update' });

export const adjustBody = z.strictObject({
  deltaMs: z.number().int().min(-LIMITS.maxDurationMs).max(LIMITS.maxDurationMs),
});
const messageTarget = z.enum(['all', 'presenter']);
export const messageBody = z.strictObject({
  text: z.string().max(LIMITS.message),
  flash: z.boolean().optional(),
  blackout: z.boolean().optional(),
  /** `presenter`: only the presenter view shows it ("wrap up" for the speaker, not the audience). */
  target: messageTarget.optional(),
});
export const reorderBody = z.strictObject({ timerIds: z.array(z.string().min(1).max(64)).max(500) });
export const createRoomBody = z.strictObject({ name: z.string().trim().min(1).max(LIMITS.name) });
const roomSettings = {
  name: z.string().trim().min(1).max(LIMITS.name).optional(),
  warnMs: ms.optional(),
  dangerMs: ms.optional(),
  plannedStart: instant.nullable().optional(),
  timeZone: timeZone.optional(),
  chimes: chimes.optional(),
};
export const updateRoomBody = z
  .strictObject(roomSettings)
  .refine((o) => Object.keys(o).length > 0, { message: 'nothing to update' });
export const rotateBody = z.strictObject({ role: z.enum(['viewer', 'controller']) });

// ── Accounts ───────────────────────────────────────────────────────────────
/**
 * An email address, internationalised ones included (UTF-8 local parts and domains, RFC 6531): trimmed, NFC-normalised
 * and lowercased, so one address always names one account.
 */
export const email = z
  .string()
  .trim()
  .max(254)
  .transform((s) => s.normalize('NFC').toLowerCase())
  .pipe(z.email({ pattern: z.regexes.unicodeEmail }));
export const signupBody = z.strictObject({
  email,
  password: z.string().min(8).max(256),
  name: z.string().trim().min(1).max(LIMITS.name),
});
export const loginBody = z.strictObject({ email, password: z.string().min(1).max(256) });
export const passwordChangeBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(8).max(256),
});
export const bootstrapBody = z.strictObject({ secret: z.string().min(1).max(512) });
export const roleBody = z.strictObject({ role: z.enum(['admin', 'member']) });

// ── Devices (owner and controllers) ───────────────────────────────────────
/** A device's stable id (the site keeps one per browser). */
export const deviceIdParam = z.string().regex(DEVICES.idPattern, 'expected 8–64 letters, digits, _ or -');
/** PUT /api/rooms/:id/devices/:deviceId: an empty name (or null) clears it. */
export const deviceNameBody = z.strictObject({
  name: z.string().max(DEVICES.nameMax, `a device name is at most ${DEVICES.nameMax} characters`).nullable(),
});

// ── Room commands over the WebSocket (same shapes as the HTTP routes) ─────
const id = z.string().min(1).max(64);
export const roomCommand = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('create-timer'), timer: createTimerBody }),
  z.strictObject({ type: z.literal('update-timer'), timerId: id, patch: updateTimerBody }),
  z.strictObject({ type: z.literal('delete-timer'), timerId: id }),
  z.strictObject({ type: z.enum(['start', 'pause', 'resume', 'reset']), timerId: id.optional() }),
  z.strictObject({ type: z.literal('adjust'), timerId: id.optional(), deltaMs: adjustBody.shape.deltaMs }),
  z.strictObject({ type: z.enum(['next', 'previous']) }),
  z.strictObject({ type: z.literal('select'), timerId: id }),
  z.strictObject({ type: z.literal('reorder'), timerIds: reorderBody.shape.timerIds }),
  z.strictObject({
    type: z.literal('set-message'),
    text: messageBody.shape.text,
    flash: z.boolean().optional(),
    blackout: z.boolean().optional(),
    target: messageTarget.optional(),
  }),
  z.strictObject({ type: z.literal('clear-message') }),
  z.strictObject({ type: z.literal('rename-device'), deviceId: deviceIdParam, name: deviceNameBody.shape.name }),
  z.strictObject({ type: z.enum(['identify-device', 'reload-device', 'disconnect-device']), deviceId: deviceIdParam }),
  z.strictObject({ type: z.literal('update-room'), ...roomSettings }),
]);
export type RoomCommandInput = z.infer<typeof roomCommand>;
/** A room command as a client writes it (optional fields may be left out): the site's command type. */
export type RoomClientCommand = z.input<typeof roomCommand>;

export const roomClientMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('ping'),
    t0: z.number().finite(),
    offset: z.number().finite().optional(),
    rtt: z.number().finite().min(0).optional(),
    spread: z.number().finite().min(0).optional(),
  }),
  z.strictObject({ type: z.literal('request-sync') }),
  z.strictObject({
    type: z.literal('command'),
    id: z.string().min(1).max(LIMITS.idempotencyKey),
    command: roomCommand,
  }),
  z.strictObject({ type: z.literal('hello'), device: z.string().max(80).optional() }),
]);
export type RoomClientMessage = z.infer<typeof roomClientMessage>;

// ── Live sessions ──────────────────────────────────────────────────────────
/** A session label: trimmed; empty means none. */
const sessionLabel = z
  .string()
  .trim()
  .max(LIMITS.label)
  .nullable()
  .optional()
  .transform((v) => (v ? v : null));
/** A label change: left out stays; null or empty clears it. */
const sessionLabelChange = z
  .string()
  .trim()
  .max(LIMITS.label)
  .nullable()
  .optional()
  .transform((v) => (v === undefined ? undefined : v ? v : null));

/** Tags on one session: at most `max`, each trimmed to 1..`length` characters, deduplicated case-insensitively. */
export const SESSION_TAGS = { max: 20, length: 40 } as const;
/** Tags trimmed (inner runs of spaces to one), empty ones dropped, deduplicated case-insensitively (first spelling wins). */
export function normaliseSessionTags(tags: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.trim().replace(/\s+/g, ' ');
    if (!t || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}
const sessionTags = z
  .array(z.string().max(SESSION_TAGS.length * 4))
  .max(SESSION_TAGS.max * 2)
  .transform(normaliseSessionTags)
  .refine((t) => t.length <= SESSION_TAGS.max, { message: `at most ${SESSION_TAGS.max} tags` })
  .refine((t) => t.every((x) => x.length <= SESSION_TAGS.length), {
    message: `a tag is at most ${SESSION_TAGS.length} characters`,
  });
const refId = z.string().trim().min(1).max(64);
const sessionMeta = {
  projectId: refId.nullable().optional(),
  taskId: refId.nullable().optional(),
  tags: sessionTags.optional(),
};
const bounded = (name: keyof typeof FOCUS_BOUNDS) =>
  z
    .number()
    .int()
    .min(FOCUS_BOUNDS[name][0], `${name} is at least ${FOCUS_BOUNDS[name][0]}`)
    .max(FOCUS_BOUNDS[name][1], `${name} is at most ${FOCUS_BOUNDS[name][1]}`);
/** Focus cycles: every field optional (defaults 25 min focus, 5 min break, 15 min long break every 4). */
export const focusConfigBody = z
  .strictObject({
    focusMs: bounded('focusMs').optional(),
    breakMs: bounded('breakMs').optional(),
    longBreakMs: bounded('longBreakMs').optional(),
    every: bounded('every').optional(),
  })
  .transform((f): FocusConfig => ({ ...FOCUS_DEFAULTS, ...f }));
/** The device a command came from (shown to other devices when it turns out to be stale). */
const deviceName = z.string().trim().max(80).optional();
/** What a command queued on a device was made against: the session it names and the version it saw. */
const sessionGuard = {
  sessionId: z.string().min(1).max(64).optional(),
  baseVersion: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
};

export const startSessionBody = z.strictObject({
  label: sessionLabel,
  ...sessionMeta,
  focus: focusConfigBody.nullable().optional(),
  device: deviceName,
});
/** pause / resume / stop: an empty body, or the session and version the command was made against. */
export const sessionGuardBody = z.strictObject({ ...sessionGuard, device: deviceName });
/** Kept for callers that take no body at all. */
export const emptyBody = z.strictObject({});
/** PUT /api/sessions/current: what the running session is for. */
export const updateSessionBody = z
  .strictObject({ label: sessionLabelChange, ...sessionMeta, ...sessionGuard, device: deviceName })
  .refine((b) => b.label !== undefined || b.projectId !== undefined || b.taskId !== undefined || b.tags !== undefined, {
    message: 'nothing to update: give label, projectId, taskId or tags',
  });
export const activityBody = z.strictObject({ at: instant.optional() });
export const idleChoice = z.enum(['keep', 'discard', 'stop']);
export const idleAnswerBody = z.strictObject({
  choice: idleChoice,
  sessionId: sessionGuard.sessionId,
  device: deviceName,
});
const settingMs = z
  .number()
  .int()
  .min(SETTINGS_BOUNDS.minMs, `at least ${SETTINGS_BOUNDS.minMs} ms (or null for off)`)
  .max(SETTINGS_BOUNDS.maxMs, `at most ${SETTINGS_BOUNDS.maxMs} ms (or null for off)`)
  .nullable();
/** PUT /api/sessions/settings: either or both; null turns one off. */
export const sessionSettingsBody = z
  .strictObject({ idleLimitMs: settingMs.optional(), autoStopIdleMs: settingMs.optional() })
  .refine((b) => b.idleLimitMs !== undefined || b.autoStopIdleMs !== undefined, {
    message: 'nothing to update: give idleLimitMs or autoStopIdleMs',
  });

/**
 * Client → server on /api/sessions/ws. `id` makes a message idempotent. A
 * `userId`, as older clients send, must be the socket's own user.
 */
const messageId = z.string().min(1).max(LIMITS.idempotencyKey).optional();
const claimedUser = z.string().min(1).max(64).optional();
export const sessionClientMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('SESSION_START'),
    id: messageId,
    userId: claimedUser,
    label: sessionLabel,
    ...sessionMeta,
    focus: focusConfigBody.nullable().optional(),
  }),
  z.strictObject({
    type: z.enum(['SESSION_PAUSE', 'SESSION_RESUME', 'SESSION_STOP']),
    id: messageId,
    userId: claimedUser,
    ...sessionGuard,
  }),
  z.strictObject({
    type: z.literal('SESSION_UPDATE'),
    id: messageId,
    userId: claimedUser,
    label: sessionLabelChange,
    ...sessionMeta,
    ...sessionGuard,
  }),
  z.strictObject({ type: z.literal('ACTIVITY'), id: messageId, userId: claimedUser, at: instant.optional() }),
  z.strictObject({
    type: z.literal('SESSION_IDLE_ANSWER'),
    id: messageId,
    userId: claimedUser,
    choice: idleChoice,
    sessionId: sessionGuard.sessionId,
  }),
  z.strictObject({ type: z.literal('SESSION_SYNC'), id: messageId, userId: claimedUser }),
  z.strictObject({
    type: z.literal('ping'),
    id: messageId,
    t0: z.number().finite(),
    offset: z.number().finite().optional(),
    rtt: z.number().finite().min(0).optional(),
    spread: z.number().finite().min(0).optional(),
  }),
]);
export type SessionClientMessage = z.infer<typeof sessionClientMessage>;
/** A session socket message as a client writes it: the site's frame type. */
export type SessionClientFrame = z.input<typeof sessionClientMessage>;

type SessionMetaInput = { projectId?: string | null; taskId?: string | null; tags?: string[] };
type SessionGuardInput = { sessionId?: string; baseVersion?: number };
/** The commands a client can send, by HTTP route or socket message. */
export type SessionCommandInput =
  | ({ type: 'start'; label: string | null; focus?: FocusConfig | null } & SessionMetaInput)
  | ({ type: 'pause' | 'resume' | 'stop' } & SessionGuardInput)
  | ({ type: 'update'; label?: string | null } & SessionMetaInput & SessionGuardInput)
  | { type: 'idle-answer'; choice: 'keep' | 'discard' | 'stop'; sessionId?: string };

/**
 * True when `s` is at most `limit` bytes as UTF-8. A UTF-16 unit takes at most
 * 3 bytes, so only strings near the limit are encoded.
 */
export function fitsBytes(s: string, limit: number): boolean {
  if (s.length > limit) return false;
  return s.length * 3 <= limit || new TextEncoder().encode(s).byteLength <= limit;
}

/** Parses a raw WebSocket frame; null for anything that is not a valid message, or over `LIMITS.wsMessage` bytes. */
export function parseClientMessage<T>(schema: z.ZodType<T>, raw: string | ArrayBuffer): T | null {
  if (typeof raw !== 'string' || !fitsBytes(raw, LIMITS.wsMessage)) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const r = schema.safeParse(json);
  return r.success ? r.data : null;
}

/**
 * The `id` of a frame that failed validation, when it had a usable one, so the
 * error can name the message it answers.
 */
export function looseMessageId(raw: string | ArrayBuffer): string | undefined {
  if (typeof raw !== 'string' || !fitsBytes(raw, LIMITS.wsMessage)) return undefined;
  try {
    const v = JSON.parse(raw) as { id?: unknown } | null;
    const id = v && typeof v === 'object' ? v.id : undefined;
    return typeof id === 'string' && id.length >= 1 && id.length <= LIMITS.idempotencyKey ? id : undefined;
  } catch {
    return undefined;
  }
}

// Server → client messages are typed in core/<capability>/wire.ts.

// ── Racks ──────────────────────────────────────────────────────────────────
const rackIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
const floorIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9-]+$/);
const fencingTokenSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const epochMs = instantSchema;

export const rackIdParam = rackIdSchema;
export const rackFloorQuery = z.strictObject({ floor: floorIdSchema, token: z.string().max(4096).optional() });
/** The floor a claim names: its id, or its display name in any case (`{"floor":"Ground"}`), resolved by the route. */
export const rackClaimBody = z.strictObject({ floor: z.string().trim().min(1).max(80) });
/** True for a string shaped like a floor id (a claim naming anything else names a floor by its display name). */
export const isFloorId = (s: string): boolean => floorIdSchema.safeParse(s).success;
export const rackLeaseBody = z.strictObject({
  session_id: z.string().min(1).max(128),
  fencing_token: fencingTokenSchema,
});
export const rackHeartbeatBody = z.strictObject({ fencing_token: fencingTokenSchema });
export const rackCompleteBody = z.strictObject({
  fencing_token: fencingTokenSchema.optional(),
  /** Records the device has had answered for this audit (issue 15); absent: no check (older clients). */
  declared_records: z.number().int().min(0).max(1_000_000).optional(),
});
export const rackForceReleaseBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const scanRecordSchema = z.strictObject({
  client_record_id: z.string().min(1).max(128),
  item_code: z.string().min(1).max(128),
  verified_qty: z.number().int().min(0).max(1_000_000),
  damage_qty: z.number().int().min(0).max(1_000_000),
  serial_numbers: z.array(z.string().min(1).max(128)).max(1000),
  status: z.enum(['pending', 'verified', 'damaged', 'finalized']),
  created_at: epochMs,
  updated_at: epochMs,
  base_version: z.number().int().min(0).optional(),
});
export const syncBatchBody = z.strictObject({
  session_id: z.string().min(1).max(128),
  fencing_token: fencingTokenSchema,
  records: z.array(scanRecordSchema).max(LIMITS.batchRecords),
});
