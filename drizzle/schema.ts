/**
 * Postgres schema: the durable record and analytics mirrored from the Durable
 * Objects through their outboxes. Postgres never decides live state (the DOs
 * do); every table here is written by idempotent upserts.
 *
 * Conventions:
 * - camelCase keys over snake_case columns, tables exported as `xxxTable`.
 * - Every instant is `timestamptz`; every duration is `bigint` milliseconds.
 * - Ids are `text`: they are chosen by the DOs (UUIDs, slugs such as `ground`, rack codes such as `R1`).
 * - No foreign keys between aggregates: rows arrive from independent outboxes
 *   in any order (a session can land before its user), and a foreign-key
 *   violation would dead-letter a perfectly good row.
 * - Indexes are ascending: a backward scan serves `order by x desc` (a
 *   `desc` index would be `desc nulls last`, which plain `desc` cannot use).
 * - Mutable mirrors carry the DO's `version`; upserts overwrite only when the
 *   incoming version is newer, so a late retry never rolls a row back.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const millis = (name: string) => bigint(name, { mode: 'number' });
const createdAt = () => instant('created_at').notNull().defaultNow();

export type Role = 'admin' | 'member';
/** Who issued a room command: the owner, a controller share link, or the room's own alarm. */
export type ActorRole = 'owner' | 'controller' | 'viewer' | 'system';

// ── Accounts ───────────────────────────────────────────────────────────────
/** Users, mirrored from the Account DOs (one per normalised email). */
export const usersTable = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    createdAt: instant('created_at').notNull(),
    /** Server time of the mirrored change; upserts keep the newest. */
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
);

// ── Timer rooms ────────────────────────────────────────────────────────────
/** Rooms, mirrored from the TimerRoom DOs. `deletedAt` marks a deleted room; history keeps it. */
export const roomsTable = pgTable(
  'rooms',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id').notNull(),
    name: text('name').notNull(),
    warnMs: millis('warn_ms').notNull(),
    dangerMs: millis('danger_ms').notNull(),
    activeTimerId: text('active_timer_id'),
    version: integer('version').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    deletedAt: instant('deleted_at'),
  },
  (t) => [index('rooms_owner_created_idx').on(t.ownerId, t.createdAt)],
);

/** Timer definitions (not their live clocks, which only the room DO holds). */
export const timersTable = pgTable(
  'timers',
  {
    roomId: text('room_id').notNull(),
    id: text('id').notNull(),
    label: text('label').notNull(),
    mode: text('mode').$type<'countdown' | 'countup' | 'time-of-day'>().notNull(),
    durationMs: millis('duration_ms').notNull(),
    targetTime: instant('target_time'),
    trigger: text('trigger').$type<'manual' | 'linked' | 'scheduled'>().notNull(),
    startAt: instant('start_at'),
    warnMs: millis('warn_ms'),
    dangerMs: millis('danger_ms'),
    /** The timer's place in the rundown (`order` in core). */
    position: integer('position').notNull(),
    version: integer('version').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    deletedAt: instant('deleted_at'),
  },
  (t) => [primaryKey({ name: 'timers_pkey', columns: [t.roomId, t.id] })],
);

/**
 * One row per run of a timer: from its first start to its reset, skip or
 * deletion. Written when the run starts and updated as it ends.
 */
export const timerRunsTable = pgTable(
  'timer_runs',
  {
    /** Chosen by the room DO when the run starts. */
    id: text('id').primaryKey(),
    roomId: text('room_id').notNull(),
    timerId: text('timer_id').notNull(),
    label: text('label').notNull(),
    mode: text('mode').$type<'countdown' | 'countup' | 'time-of-day'>().notNull(),
    /** Duration plus adjustments, as last known. */
    plannedMs: millis('planned_ms').notNull(),
    /** The cue's planned start in the room's schedule (null: the show had no plan). */
    plannedStart: instant('planned_start'),
    /** How far the run ended (while open: is projected to end) after its planned end; > 0 behind. */
    overUnderMs: millis('over_under_ms'),
    /** The run's first start (resumes do not move it). */
    startedAt: instant('started_at').notNull(),
    /** When it reached zero, if it did. */
    finishedAt: instant('finished_at'),
    /** When the run was closed (reset, next, previous, deleted). */
    endedAt: instant('ended_at'),
    status: text('status').$type<'running' | 'paused' | 'finished' | 'ended'>().notNull(),
    endReason: text('end_reason'),
    elapsedMs: millis('elapsed_ms').notNull().default(0),
    pausedMs: millis('paused_ms').notNull().default(0),
    overtimeMs: millis('overtime_ms').notNull().default(0),
    /** Who controlled the run: user id (null for share-link controllers and the alarm) and role. */
    startedBy: text('started_by'),
    startedByRole: text('started_by_role').$type<ActorRole>().notNull(),
    endedBy: text('ended_by'),
    endedByRole: text('ended_by_role').$type<ActorRole>(),
    version: integer('version').notNull(),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('timer_runs_room_timer_started_key').on(t.roomId, t.timerId, t.startedAt),
    index('timer_runs_room_started_idx').on(t.roomId, t.startedAt),
  ],
);

/** The room's action journal: every control command, with its server time and the actor's role. */
export const roomActionsTable = pgTable(
  'room_actions',
  {
    /** The outbox event id of the command; repeats are no-ops. */
    id: text('id').primaryKey(),
    roomId: text('room_id').notNull(),
    /** Room version after the command; null when it was rejected. */
    version: integer('version'),
    command: text('command').notNull(),
    timerId: text('timer_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    actorId: text('actor_id'),
    actorRole: text('actor_role').$type<ActorRole>().notNull(),
    outcome: text('outcome').$type<'applied' | 'rejected'>().notNull().default('applied'),
    rejectCode: text('reject_code'),
    at: instant('at').notNull(),
  },
  (t) => [index('room_actions_room_at_idx').on(t.roomId, t.at)],
);

// ── Live sessions ──────────────────────────────────────────────────────────
/** A pause inside a session, in epoch milliseconds (the API's time format). */
export interface PauseSegment {
  pausedAt: number;
  resumedAt: number | null;
}

/**
 * Live sessions and manual entries, mirrored from the UserSession DOs, keyed
 * on `id`. `(user_id, start_time)` serves history (newest first) and per-day
 * statistics by a backward index scan; it is not unique since entries can be
 * added and edited (migration 0005). A deleted entry keeps its row with
 * `deleted_at` set; reads leave it out.
 */
export const sessionsTable = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    label: text('label'),
    status: text('status').$type<'running' | 'paused' | 'completed'>().notNull(),
    startTime: instant('start_time').notNull(),
    endTime: instant('end_time'),
    /** Wall-clock length, end minus start (null while open). */
    durationMs: millis('duration_ms'),
    /** Time spent running. */
    elapsedMs: millis('elapsed_ms').notNull().default(0),
    pausedMs: millis('paused_ms').notNull().default(0),
    pauseSegments: jsonb('pause_segments').$type<PauseSegment[]>().notNull().default([]),
    /** True when the session reached its time limit and stopped by itself. */
    autoStopped: boolean('auto_stopped').notNull().default(false),
    version: integer('version').notNull(),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull(),
    // Issue 14: projects, tasks, tags, manual entries and edits.
    projectId: text('project_id'),
    taskId: text('task_id'),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    source: text('source').$type<'live' | 'manual'>().notNull().default('live'),
    editedAt: instant('edited_at'),
    deletedAt: instant('deleted_at'),
    /** 'user', 'limit' or 'idle' for a stopped live session; null otherwise. */
    stopReason: text('stop_reason').$type<'user' | 'limit' | 'idle'>(),
  },
  (t) => [index('sessions_user_start_idx').on(t.userId, t.startTime)],
);

/** The audit trail of entry edits (who, when, before and after), one row per edit version. */
export const sessionEditsTable = pgTable(
  'session_edits',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    sessionId: text('session_id').notNull(),
    version: integer('version').notNull(),
    op: text('op').$type<'create' | 'update' | 'delete' | 'restore'>().notNull(),
    actorId: text('actor_id'),
    actorRole: text('actor_role').notNull(),
    at: instant('at').notNull(),
    before: jsonb('before').$type<Record<string, unknown> | null>(),
    after: jsonb('after').$type<Record<string, unknown> | null>(),
  },
  (t) => [uniqueIndex('session_edits_session_version_key').on(t.sessionId, t.version)],
);

/** A user's projects, mirrored from their UserSession DO. */
export const projectsTable = pgTable(
  'projects',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    color: text('color').notNull(),
    client: text('client'),
    version: integer('version').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    deletedAt: instant('deleted_at'),
  },
  (t) => [index('projects_user_idx').on(t.userId)],
);

/** Tasks inside a user's projects, mirrored from their UserSession DO. */
export const tasksTable = pgTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    projectId: text('project_id').notNull(),
    title: text('title').notNull(),
    estimateMs: millis('estimate_ms'),
    done: boolean('done').notNull().default(false),
    version: integer('version').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    deletedAt: instant('deleted_at'),
  },
  (t) => [index('tasks_project_idx').on(t.projectId)],
);

// ── Racks ──────────────────────────────────────────────────────────────────
/** Floors of the warehouse; `id` is a slug such as `ground`. */
export const floorsTable = pgTable('floors', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
  /** Blind counting for the floor's racks (issue 15). */
  blind: boolean('blind').notNull().default(false),
  /** Variance review thresholds `{qty, pct, items}` (core/racks/review.ts). */
  review: jsonb('review').$type<Record<string, unknown>>(),
  createdAt: createdAt(),
});

/** Racks and their last mirrored status (the Rack DO holds the live lease). */
export const racksTable = pgTable(
  'racks',
  {
    id: text('id').primaryKey(),
    floorId: text('floor_id').notNull(),
    name: text('name').notNull(),
    itemEstimate: integer('item_estimate').notNull().default(0),
    status: text('status').$type<'available' | 'claimed' | 'paused'>().notNull().default('available'),
    holderId: text('holder_id'),
    version: integer('version').notNull().default(0),
    /** The rack's own blind setting; null: the floor's. */
    blind: boolean('blind'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [index('racks_floor_status_idx').on(t.floorId, t.status)],
);

/** What a rack is expected to hold, for the completion summary (expected vs scanned). */
export const rackItemsTable = pgTable(
  'rack_items',
  {
    rackId: text('rack_id').notNull(),
    itemCode: text('item_code').notNull(),
    expectedQty: integer('expected_qty').notNull(),
    description: text('description'),
    serials: jsonb('serials').$type<string[]>(),
  },
  (t) => [primaryKey({ name: 'rack_items_pkey', columns: [t.rackId, t.itemCode] })],
);

/** A completed rack audit and its variance review (core/racks/review.ts): upserted, guarded by version. */
export const rackAuditsTable = pgTable(
  'rack_audits',
  {
    auditId: text('audit_id').primaryKey(),
    rackId: text('rack_id').notNull(),
    floorId: text('floor_id').notNull(),
    status: text('status').$type<'posted' | 'needs_review' | 'recount'>().notNull(),
    blind: boolean('blind').notNull().default(false),
    counterId: text('counter_id').notNull(),
    expectedChanged: boolean('expected_changed').notNull().default(false),
    startedAt: instant('started_at').notNull(),
    completedAt: instant('completed_at').notNull(),
    postedAt: instant('posted_at'),
    /** Per item: expected, counted, damage, variance, recount, decision, final quantity. */
    items: jsonb('items').$type<Array<Record<string, unknown>>>().notNull(),
    version: integer('version').notNull(),
  },
  (t) => [index('rack_audits_floor_completed_idx').on(t.floorId, t.completedAt)],
);

/** Every entry of an audit's history (completion, decisions, recounts, posting): `(audit_id, seq)` lands once. */
export const rackAuditHistoryTable = pgTable(
  'rack_audit_history',
  {
    auditId: text('audit_id').notNull(),
    seq: integer('seq').notNull(),
    rackId: text('rack_id').notNull(),
    type: text('type').notNull(),
    itemCode: text('item_code'),
    decision: text('decision'),
    qty: integer('qty'),
    reason: text('reason'),
    assignee: text('assignee'),
    sessionId: text('session_id'),
    fencingToken: bigint('fencing_token', { mode: 'number' }),
    by: text('by').notNull(),
    at: instant('at').notNull(),
  },
  (t) => [primaryKey({ name: 'rack_audit_history_pkey', columns: [t.auditId, t.seq] })],
);

/** One claim of a rack, from grant to release or expiry. Each grant has a new fencing token. */
export const rackSessionsTable = pgTable(
  'rack_sessions',
  {
    id: text('id').primaryKey(),
    rackId: text('rack_id').notNull(),
    floorId: text('floor_id').notNull(),
    userId: text('user_id').notNull(),
    fencingToken: bigint('fencing_token', { mode: 'number' }).notNull(),
    status: text('status').$type<'active' | 'paused' | 'completed' | 'released' | 'expired'>().notNull(),
    startedAt: instant('started_at').notNull(),
    lastHeartbeatAt: instant('last_heartbeat_at'),
    endedAt: instant('ended_at'),
    endReason: text('end_reason'),
    pausedMs: millis('paused_ms').notNull().default(0),
    totalItems: integer('total_items').notNull().default(0),
    verifiedItems: integer('verified_items').notNull().default(0),
    damageItems: integer('damage_items').notNull().default(0),
    /** The completion summary: expected vs scanned, missing, unexpected, duplicates. */
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    version: integer('version').notNull(),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('rack_sessions_rack_token_key').on(t.rackId, t.fencingToken),
    index('rack_sessions_user_started_idx').on(t.userId, t.startedAt),
    index('rack_sessions_open_idx').on(t.floorId, t.startedAt).where(sql`${t.endedAt} is null`),
  ],
);

/** Scanned items, synced in idempotent batches: `(rack_session_id, client_record_id)` is the key. */
export const scanRecordsTable = pgTable(
  'scan_records',
  {
    rackSessionId: text('rack_session_id').notNull(),
    clientRecordId: text('client_record_id').notNull(),
    rackId: text('rack_id').notNull(),
    userId: text('user_id').notNull(),
    itemCode: text('item_code').notNull(),
    verifiedQty: integer('verified_qty').notNull().default(0),
    damageQty: integer('damage_qty').notNull().default(0),
    serialNumbers: jsonb('serial_numbers').$type<string[]>().notNull().default([]),
    status: text('status').notNull(),
    /** Server-side record version, compared with a client's `base_version` to detect conflicts. */
    version: integer('version').notNull().default(1),
    clientCreatedAt: instant('client_created_at').notNull(),
    clientUpdatedAt: instant('client_updated_at').notNull(),
    syncedAt: instant('synced_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'scan_records_pkey', columns: [t.rackSessionId, t.clientRecordId] }),
    index('scan_records_session_item_idx').on(t.rackSessionId, t.itemCode),
  ],
);

/**
 * Writes refused by a batch because they were based on an older version of an
 * item written under another lease, and how each was resolved (journaled).
 * `(rack_id, conflict_id)` is the key; the conflict id is the refused record's client_record_id.
 */
export const scanConflictsTable = pgTable(
  'scan_conflicts',
  {
    rackId: text('rack_id').notNull(),
    conflictId: text('conflict_id').notNull(),
    itemCode: text('item_code').notNull(),
    rackSessionId: text('rack_session_id').notNull(),
    userId: text('user_id').notNull(),
    reason: text('reason').notNull(),
    /** The refused record as the client sent it. */
    mine: jsonb('mine').$type<Record<string, unknown>>().notNull(),
    /** The server's record the write met. */
    theirs: jsonb('theirs').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<'open' | 'resolved'>().notNull(),
    choice: text('choice').$type<'mine' | 'theirs' | 'merged'>(),
    resolvedBy: text('resolved_by'),
    resolvedAt: instant('resolved_at'),
    /** The item as the resolution wrote it. */
    resolved: jsonb('resolved').$type<Record<string, unknown>>(),
    detectedAt: instant('detected_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'scan_conflicts_pkey', columns: [t.rackId, t.conflictId] }),
    index('scan_conflicts_open_idx').on(t.rackId).where(sql`${t.status} = 'open'`),
  ],
);

// ── Event log and statistics ─────────────────────────────────────────────
/** Which kind of DO an event came from. */
export type AggregateType = 'account' | 'room' | 'user-session' | 'rack' | 'floor';

/**
 * Append-only log of every domain event. `event_id` is unique, so draining an
 * outbox twice inserts once (`on conflict do nothing`). A trigger (migration
 * 0001) refuses updates and deletes.
 */
export const eventsTable = pgTable(
  'events',
  {
    eventId: text('event_id').primaryKey(),
    aggregateType: text('aggregate_type').$type<AggregateType>().notNull(),
    aggregateId: text('aggregate_id').notNull(),
    type: text('type').notNull(),
    /** The aggregate's version after the event, when it has one. */
    version: integer('version'),
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: instant('occurred_at').notNull(),
    recordedAt: instant('recorded_at').notNull().defaultNow(),
  },
  (t) => [
    index('events_aggregate_occurred_idx').on(t.aggregateType, t.aggregateId, t.occurredAt),
    index('events_type_occurred_idx').on(t.type, t.occurredAt),
  ],
);

/** What a daily_stats row counts for: everything, or one user, room, floor or rack. */
type StatsScope = 'global' | 'user' | 'room' | 'floor' | 'rack';

/**
 * Per-day totals, one row per (date, scope, subject). Rows are recomputed
 * from the history tables and upserted with absolute values, never
 * incremented, so a repeated write cannot double-count.
 */
export const dailyStatsTable = pgTable(
  'daily_stats',
  {
    date: date('date', { mode: 'string' }).notNull(),
    scope: text('scope').$type<StatsScope>().notNull(),
    subject: text('subject').notNull(),
    sessions: integer('sessions').notNull().default(0),
    activeMs: millis('active_ms').notNull().default(0),
    pausedMs: millis('paused_ms').notNull().default(0),
    timerRuns: integer('timer_runs').notNull().default(0),
    overtimeMs: millis('overtime_ms').notNull().default(0),
    rackSessions: integer('rack_sessions').notNull().default(0),
    scans: integer('scans').notNull().default(0),
    items: integer('items').notNull().default(0),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  // Key order (scope, subject, date) also serves "one subject over the last N days".
  (t) => [primaryKey({ name: 'daily_stats_pkey', columns: [t.scope, t.subject, t.date] })],
);
