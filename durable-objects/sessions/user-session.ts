/**
 * UserSession: the one owner of a user's live session (one object per user
 * id). Commands arrive by RPC (HTTP routes) or WebSocket; both reach
 * `execute()`. A change is saved with its outbox rows and schedule in one
 * transaction, then broadcast to every socket of the user, then the single
 * alarm is pointed at the next boundary (the auto-stop, or a tick).
 */
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { type Answer, CLOSE, type Refusal, accept, refuse } from '../../core/errors.ts';
import { readAccessHeader } from '../platform/access.ts';
import { KeeptimeObject } from '../platform/object.ts';
import { commandHash, socketCommandKey } from '../platform/idempotency.ts';
import type { ObjectRef } from '../ops/ops.ts';
import type { OutboxRow } from '../platform/outbox.ts';
import type { ScheduleRow } from '../platform/schedule.ts';
import { type EntryQuery, RecentSessions } from './recent.ts';
import { EntryDesk } from './entry-desk.ts';
import * as entryRpc from './entry-rpc.ts';
import { type SessionMirrorPayload, outboxKind, sessionMirrorPayload, sessionNotifications } from './mirror.ts';
import { SocketHub, type SocketMeta, type SocketSpec } from '../platform/sockets.ts';
import { type SessionClientMessage, type SessionCommandInput, sessionClientMessage } from '../../core/protocol.ts';
import {
  type SessionCommand,
  type SessionEvent,
  type SessionState,
  makeSessionState,
  nextBoundary,
  transition,
  upgradeState,
} from '../../core/sessions/transition.ts';
import {
  type ActivityAnswer,
  type SessionMessage,
  type SessionServerMessage,
  activityAnswer,
  eventMessage,
  stateMessage,
  tickMessage,
} from '../../core/sessions/wire.ts';
import type { SessionSettings } from '../../core/sessions/idle.ts';
import { WEBHOOK_EVENTS } from '../../core/webhooks.ts';
import { type StaleTarget, mergeSettings, rememberStop, settingsOf, staleTarget } from './settings.ts';
import { type MetaLookup, metaRefusal } from './meta.ts';
import { type Env, sessionMaxMs } from '../platform/env.ts';

/** What a refusal of a session command may carry: the state now and, for a stale command, what became of its session. */
export interface SessionRefusalDetails {
  current?: SessionMessage;
  target?: StaleTarget;
  quota?: string;
  limit?: number;
  retryAfterMs?: number;
}
/** A command's answer as the idempotency log stores it (a retry gets the first one). */
type SessionAnswer =
  | { ok: true; message: SessionMessage }
  | { ok: false; code: string; message: string; details?: SessionRefusalDetails };
/** The RPC answer of a session command. */
export type SessionCommandAnswer =
  | { ok: true; value: SessionMessage }
  | { ok: false; code: string; message: string; details?: SessionRefusalDetails };

type Actor = SessionMirrorPayload['actor'];
const SYSTEM: Actor = { id: null, role: 'system' };
const TICK_MS = 1000;
const HOUR_MS = 3_600_000;

export class UserSession extends KeeptimeObject<SessionSocket, SessionClientMessage> {
  private state: SessionState | null;
  private userId: string | null;
  private readonly recent: RecentSessions;
  /** The auto-stop limit new sessions get (SESSION_MAX_MS); a session keeps the limit it started with. */
  private maxMs: number;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, sessionSockets);
    const stored = this.kv.get<SessionState>('state');
    this.state = stored && upgradeState(stored);
    this.userId = this.kv.get<string>('userId');
    this.recent = new RecentSessions(ctx.storage);
    this.maxMs = sessionMaxMs(env);
  }

  protected override currentVersion(): number {
    return this.state?.version ?? 0;
  }

  // ── RPC ────────────────────────────────────────────────────────────────
  /** Runs one command for `userId` (the Worker has authenticated them; this object is theirs). */
  async command(
    userId: string,
    input: SessionCommandInput,
    idempotencyKey: string | null,
    device: string | null = null,
  ): Promise<SessionCommandAnswer> {
    if (!this.own(userId, true)) return forbidden;
    const { answer } = await this.execute(
      input,
      idempotencyKey ? `${userId}:${idempotencyKey}` : null,
      { id: userId, role: 'user' },
      null,
      device,
    );
    return answer.ok ? accept(answer.message) : answer;
  }

  // ── Activity and idle settings (issue 14) ──────────────────────────────
  /** A device saw the user active (at `at`, default now): moves the planned idle alarm; never broadcast. */
  async activity(userId: string, at: number | null): Promise<Answer<ActivityAnswer>> {
    if (!this.own(userId, true)) return forbidden;
    return accept(await this.recordActivity(at));
  }

  /** The user's idle settings. */
  async idleSettings(userId: string): Promise<Answer<SessionSettings>> {
    if (!this.own(userId, false)) return forbidden;
    return accept(settingsOf(this.state));
  }

  /** Changes the user's idle settings (null turns one off); the session in progress follows them at once. */
  async updateIdleSettings(userId: string, change: Partial<SessionSettings>): Promise<Answer<SessionSettings>> {
    if (!this.own(userId, true)) return forbidden;
    const merged = mergeSettings(settingsOf(this.state), change);
    if (!merged.ok) return refuse('validation_failed', merged.message);
    const now = this.clock.now();
    await this.settleDue(now);
    const state = this.state ?? makeSessionState(userId, now);
    const result = transition(state, { type: 'configure', settings: merged.settings }, now);
    if ('rejected' in result) return refuse(result.rejected, result.message);
    // A shorter limit may already be due: its events are saved and announced like any other.
    await this.save(state, result.state, result.events, { id: userId, role: 'user' }, now);
    for (const e of result.events) this.hub.broadcast(eventMessage(userId, e, now, result.state.settings));
    return accept(settingsOf(this.state));
  }

  private async recordActivity(at: number | null): Promise<ActivityAnswer> {
    const now = this.clock.now();
    await this.settleDue(now);
    const state = this.state;
    if (!state?.active) return activityAnswer(state, now);
    const result = transition(state, at === null ? { type: 'activity' } : { type: 'activity', at }, now);
    if ('rejected' in result || result.state === state) return activityAnswer(state, now);
    // No event, no message, no Ops report: only the last activity and the planned alarm move.
    await this.commit(() => {
      this.kv.put('state', result.state);
      this.planAlarms(result.state, now);
      this.state = result.state;
    });
    return activityAnswer(this.state, now);
  }

  /** The project store start and update check project and task ids against (the user's own, not deleted). */
  private metaLookup(): MetaLookup | null {
    return this.desk.projects;
  }

  /** SESSION_STATE for `userId`, after applying an auto-stop that is due. */
  async current(userId: string): Promise<SessionMessage | null> {
    if (!this.own(userId, false)) return null;
    const now = this.clock.now();
    await this.settleDue(now);
    return stateMessage(this.state, userId, now);
  }

  /** Changes whenever a session stops or an entry is edited: part of history cache keys, so a cached page never hides a change. */
  async historyVersion(userId: string): Promise<number> {
    return this.userId === userId ? this.recent.revision() : 0;
  }

  // ── Entries, projects and tasks (helper 14B: entry-desk.ts, entry-rpc.ts) ──
  private deskInstance: EntryDesk | null = null;
  private get desk(): EntryDesk {
    this.deskInstance ??= new EntryDesk(this.ctx.storage, this.recent, {
      commit: (write) => this.commit(write),
      appendOutbox: (kind, payload, now) => void this.appendOutbox(kind, payload, now),
      broadcast: (msg) => void this.hub.broadcast(this.stamp(msg)),
      activeSessionId: () => this.state?.active?.id ?? null,
      userId: () => this.userId as string,
      idempotency: this.idempotency,
    });
    return this.deskInstance;
  }

  /** A history page from the object's entries (see EntryQuery), with its horizon; empty for another user. */
  async entryPage(userId: string, q: EntryQuery): Promise<ReturnType<EntryDesk['page']>> {
    if (this.userId !== userId) return { entries: [], horizon: 0, revision: 0 };
    return this.desk.page(q);
  }

  /** Reads: trail, projects, tasks, report data, break rule (entry-rpc.ts). */
  async entryRead<K extends keyof entryRpc.Reads>(
    userId: string,
    op: K,
    input: entryRpc.Reads[K]['in'],
  ): Promise<entryRpc.ReadAnswer<K>> {
    if (this.userId !== userId) return entryRpc.emptyRead(op);
    return entryRpc.read(this.desk, op, input);
  }

  /** Edits: entries, projects, tasks, break rule (entry-rpc.ts); only the user's own. */
  async entryWrite<K extends keyof entryRpc.Writes>(
    userId: string,
    op: K,
    input: entryRpc.Writes[K]['in'],
  ): Promise<entryRpc.WriteAnswer<K>> {
    if (!this.own(userId, true)) return forbidden;
    return entryRpc.write(this.desk, op, input, { id: userId, role: 'user' }, this.clock.now());
  }
  // ── End of entries (14B) ──

  /** Counts for ops and tests. */
  async inspect(): Promise<{
    userId: string | null;
    version: number;
    status: string;
    sockets: number;
    alarm: number | null;
    boundary: number | null;
    tick: number | null;
    pending: number;
    recent: number;
  }> {
    return {
      userId: this.userId,
      version: this.currentVersion(),
      status: this.state?.active?.status ?? 'idle',
      sockets: this.hub.sockets().length,
      alarm: await this.ctx.storage.getAlarm(),
      boundary: this.schedule.get('boundary', 'session'),
      tick: this.schedule.get('tick', 'session'),
      pending: this.outbox.depth(this.clock.now()).pending,
      recent: this.recent.count(),
    };
  }

  /** This object belongs to one user: the first one to use it (by name, that is always the same user). */
  private own(userId: string, persist: boolean): boolean {
    if (this.userId === null) {
      if (!persist) return true;
      this.kv.put('userId', userId);
      this.userId = userId;
      return true;
    }
    return this.userId === userId;
  }

  // ── Commands ───────────────────────────────────────────────────────────
  /**
   * The one command handler. Sockets other than `origin` get the broadcasts;
   * the caller delivers `messages` to the origin (with its reply id).
   */
  private async execute(
    input: SessionCommandInput,
    key: string | null,
    actor: Actor,
    origin: string | null,
    device: string | null,
  ): Promise<{ answer: SessionAnswer; messages: SessionMessage[] }> {
    if (input.type === 'start' || input.type === 'update') {
      const active = this.state?.active;
      const refused = metaRefusal(this.metaLookup(), {
        projectId: input.projectId === undefined ? active?.projectId : input.projectId,
        taskId: input.taskId === undefined ? active?.taskId : input.taskId,
      });
      if (refused) return { answer: refused, messages: [] };
    }
    // Hashed before the recall, so nothing awaits between the recall and the put.
    const hash = key ? await commandHash('session', input) : null;
    if (key) {
      const earlier = this.idempotency.recall<SessionAnswer>(key, hash);
      if (earlier.kind === 'reused')
        return {
          answer: {
            ok: false,
            code: 'idempotency_key_reused',
            message: 'This id was already used for a different command',
          },
          messages: [],
        };
      if (earlier.kind === 'replay')
        return { answer: earlier.answer, messages: earlier.answer.ok ? [earlier.answer.message] : [] };
    }
    const now = this.clock.now();
    const userId = this.userId as string;
    // A due auto-stop is applied (and announced) first, so the command meets the state everyone sees.
    await this.settleDue(now);
    const state = this.state ?? makeSessionState(userId, now);
    // The hourly start quota: a refusal is not remembered under the id (a retry after the wait may pass).
    const starts = input.type === 'start' && state.active === null ? this.startsWithinHour(now) : null;
    if (starts && starts.length >= this.limits.sessionStartsPerHour) {
      const limit = this.limits.sessionStartsPerHour;
      const retryAfterMs = (starts[0] as number) + HOUR_MS - now;
      const answer: SessionAnswer = {
        ok: false,
        code: 'rate_limited',
        message: `At most ${limit} session starts per hour; try again in ${Math.ceil(retryAfterMs / 60_000)} min`,
        details: { quota: 'session_starts_per_hour', limit, retryAfterMs },
      };
      return { answer, messages: [] };
    }
    const result = transition(state, toCommand(input, this.maxMs, device), now);
    if ('rejected' in result) {
      const answer: SessionAnswer = {
        ok: false,
        code: result.rejected,
        message: result.message,
        ...this.refusalDetails(result.rejected, input, userId, now),
      };
      if (key) await this.commit(() => this.idempotency.put(key, answer, now, hash));
      return { answer, messages: [] };
    }
    const messages = result.events.map((e) => eventMessage(userId, e, now, result.state.settings));
    const answer: SessionAnswer = { ok: true, message: messages.at(-1) as SessionMessage };
    await this.save(state, result.state, result.events, actor, now, () => {
      if (starts) this.kv.put('starts', [...starts, now]);
      if (key) this.idempotency.put(key, answer, now, hash);
    });
    for (const m of messages) this.hub.broadcast(m, origin ? (meta) => meta.sid !== origin : undefined);
    return { answer, messages };
  }

  /** A stale command learns the state now and, when it named another session, what became of that one. */
  private refusalDetails(
    code: string,
    input: SessionCommandInput,
    userId: string,
    now: number,
  ): { details?: SessionRefusalDetails } {
    if (code !== 'stale_session' && code !== 'stale_version') return {};
    const current = stateMessage(this.state, userId, now);
    const target = 'sessionId' in input && input.sessionId ? staleTarget(this.kv, input.sessionId) : undefined;
    return { details: target && code === 'stale_session' ? { current, target } : { current } };
  }

  /** The instants of the session starts in the hour before `now`, oldest first. */
  private startsWithinHour(now: number): number[] {
    return (this.kv.get<number[]>('starts') ?? []).filter((t) => t > now - HOUR_MS);
  }

  /** Applies a due auto-stop and broadcasts it; true if it did. */
  private async settleDue(now: number): Promise<boolean> {
    if (!this.state?.active) return false;
    const result = transition(this.state, { type: 'tick' }, now);
    if ('rejected' in result || result.events.length === 0) return false;
    const prev = this.state;
    await this.save(prev, result.state, result.events, SYSTEM, now);
    for (const e of result.events) this.hub.broadcast(eventMessage(prev.userId, e, now, result.state.settings));
    return true;
  }

  /**
   * Saves the state, its outbox rows, the recent-sessions list and the
   * schedule in one commit (one transaction, then the alarm): they land together or not at all.
   */
  private async save(
    prev: SessionState,
    next: SessionState,
    events: SessionEvent[],
    actor: Actor,
    now: number,
    also?: () => unknown,
  ): Promise<void> {
    await this.commit(() => {
      this.kv.put('state', next);
      also?.();
      for (const e of events) {
        this.appendOutbox(outboxKind(e), sessionMirrorPayload(next.userId, e, actor), now);
        if (e.type === 'stopped') {
          this.recent.add(e.session);
          rememberStop(this.kv, e.session);
        }
        // Webhooks carry the catalogue's events only (not idle prompts or label changes).
        if ((WEBHOOK_EVENTS.sessions as readonly string[]).includes(`session.${e.type}`))
          this.queueWebhook(
            `session.${e.type}`,
            sessionWebhookData(next.userId, e),
            now,
            `evt_${e.session.id}_${e.version}`,
          );
      }
      this.planAlarms(next, now);
      // Whether a session is in progress is what Ops lists: report that change at once, coalesce the rest.
      if ((prev.active === null) !== (next.active === null)) this.schedule.set('ops-report', 'live', now);
      else this.scheduleReport(now);
      this.state = next;
    });
  }

  private planAlarms(state: SessionState, now: number): void {
    const boundary = nextBoundary(state);
    if (boundary === null) this.schedule.clear('boundary', 'session');
    else this.schedule.set('boundary', 'session', boundary);
    if (state.active?.status === 'running' && this.hub.sockets('ticks').length > 0) {
      if (this.schedule.get('tick', 'session') === null)
        this.schedule.set('tick', 'session', now - (now % TICK_MS) + TICK_MS);
    } else this.schedule.clear('tick', 'session');
  }

  protected override async onSchedule(row: ScheduleRow, now: number): Promise<void> {
    if (!this.state) return;
    if (row.kind === 'boundary') {
      // Re-plan even when nothing was due (an early wake-up must not lose the boundary).
      if (!(await this.settleDue(now))) await this.commit(() => this.planAlarms(this.state as SessionState, now));
    } else if (row.kind === 'tick') {
      const tick = tickMessage(this.state, now);
      if (tick) this.hub.broadcast(tick, undefined, 'ticks');
      await this.commit(() => this.planAlarms(this.state as SessionState, now));
    }
  }

  // ── Mirrors ────────────────────────────────────────────────────────────
  /** Webhooks: the user' endpoints for this user's events (the Worker checks who may manage them). */
  protected override webhookScope(): 'sessions' | 'floors' {
    return 'sessions';
  }

  protected override mirrorRef(): ObjectRef | null {
    return this.userId ? { kind: 'session', name: this.userId } : null;
  }

  /** A stop changes the user's history and statistics. */
  protected override cacheTags(row: OutboxRow): string[] {
    return row.kind === 'session.stopped' || row.kind === 'session.entry'
      ? [`sessions:${(row.payload as SessionMirrorPayload).userId}`]
      : [];
  }

  protected override liveCounts(): { sockets: number; active: boolean } {
    return { sockets: this.hub.sockets().length, active: this.state?.active != null };
  }

  protected override async onMirrored(rows: OutboxRow[]): Promise<void> {
    await this.notifyOps(rows.flatMap((r) => sessionNotifications(r.kind, r.payload as SessionMirrorPayload)));
  }

  // ── WebSockets ─────────────────────────────────────────────────────────
  protected override async onConnect(ws: WebSocket, request: Request): Promise<Response | null> {
    const access = readAccessHeader(request, accessHeader);
    if (!access) return Response.json({ error: { code: 'unauthenticated', message: 'Log in first' } }, { status: 401 });
    if (!this.own(access.userId, true)) return Response.json({ error: forbidden }, { status: 403 });
    const now = this.clock.now();
    const ticks = access.ticks === true;
    // A due auto-stop goes to the other sockets first; this one starts from the settled state.
    await this.settleDue(now);
    this.acceptSocket(ws, { userId: access.userId, device: access.device ?? null }, { ticks }, ticks ? ['ticks'] : []);
    this.hub.send(ws, stateMessage(this.state, access.userId, now));
    await this.commit(() => {
      if (ticks && this.state) this.planAlarms(this.state, now);
      this.scheduleReport(now);
    });
    return null;
  }

  /**
   * An attachment is stored bytes: a socket that is not this user's is closed. A message may name a user, as older
   * clients send, but only the socket's own.
   */
  protected override admit(ws: WebSocket, meta: SessionSocketMeta, msg: SessionClientMessage | null): boolean {
    if (!meta.userId || meta.userId !== this.userId) {
      this.sendError(ws, 'forbidden', 'This connection does not belong to this session');
      SocketHub.close(ws, CLOSE.forbidden, 'forbidden');
      return false;
    }
    if (msg && 'userId' in msg && msg.userId !== undefined && msg.userId !== meta.userId) {
      this.sendError(ws, 'forbidden', 'You can only control your own session', msg.id);
      return false;
    }
    return true;
  }

  protected override async onClientMessage(
    ws: WebSocket,
    meta: SessionSocketMeta,
    msg: Exclude<SessionClientMessage, { type: 'ping' }>,
  ): Promise<void> {
    const userId = meta.userId as string;
    const replyTo = msg.id === undefined ? {} : { replyTo: msg.id };
    if (msg.type === 'SESSION_SYNC') {
      const now = this.clock.now();
      await this.settleDue(now);
      this.hub.send(ws, { ...stateMessage(this.state, userId, now), ...replyTo } satisfies SessionServerMessage);
      return;
    }
    if (msg.type === 'ACTIVITY') {
      const seen = await this.recordActivity(msg.at ?? null);
      // Never broadcast: only a message that asked (an id) gets an answer.
      if (msg.id !== undefined)
        this.hub.send(ws, {
          type: 'ACTIVITY_OK',
          replyTo: msg.id,
          version: this.currentVersion(),
          ...seen,
        } satisfies SessionServerMessage);
      return;
    }
    const key = msg.id === undefined ? null : socketCommandKey(meta, userId, msg.id);
    const { answer, messages } = await this.execute(
      toInput(msg),
      key,
      { id: userId, role: 'user' },
      meta.sid,
      meta.device ?? null,
    );
    if (!answer.ok) {
      this.hub.send(
        ws,
        this.stamp({
          type: 'error' as const,
          ...(msg.id === undefined ? {} : { id: msg.id }),
          code: answer.code,
          message: answer.message,
          ...(answer.details ? { details: answer.details } : {}),
        }) satisfies SessionServerMessage,
      );
      return;
    }
    messages.forEach((m, i) =>
      this.hub.send(ws, (i === messages.length - 1 ? { ...m, ...replyTo } : m) satisfies SessionServerMessage),
    );
  }

  protected override async onClose(): Promise<void> {
    const now = this.clock.now();
    await this.commit(() => {
      if (this.state) this.planAlarms(this.state, now);
      this.scheduleReport(now);
    });
  }
}

const forbidden: Refusal = refuse('forbidden', 'This is another user’s session');

/** Maps a validated wire command to the core command (a new session gets its id here, not in core). */
function toCommand(input: SessionCommandInput, maxMs: number, device: string | null): SessionCommand {
  if (input.type === 'start') return { ...input, id: uuidv7(), maxMs, device };
  return { ...input, device };
}

const COMMANDS = { SESSION_PAUSE: 'pause', SESSION_RESUME: 'resume', SESSION_STOP: 'stop' } as const;

/** A socket message as a command input: the same shape the HTTP routes read. */
function toInput(
  msg: Exclude<SessionClientMessage, { type: 'ping' | 'SESSION_SYNC' | 'ACTIVITY' }>,
): SessionCommandInput {
  const { id: _id, userId: _userId, type, ...fields } = msg;
  switch (type) {
    case 'SESSION_START':
      return { type: 'start', ...(fields as Omit<Extract<typeof msg, { type: 'SESSION_START' }>, 'type' | 'id'>) };
    case 'SESSION_UPDATE':
      return { type: 'update', ...fields };
    case 'SESSION_IDLE_ANSWER':
      return { type: 'idle-answer', ...(fields as { choice: 'keep' | 'discard' | 'stop'; sessionId?: string }) };
    default:
      return { type: COMMANDS[type], ...fields };
  }
}

/** The session's part of a socket's attachment: whether it asked for 1 Hz ticks. */
const sessionSocket = z.object({ ticks: z.boolean() });
type SessionSocket = z.infer<typeof sessionSocket>;
type SessionSocketMeta = SocketMeta<SessionSocket>;
const sessionSockets: SocketSpec<SessionSocket, SessionClientMessage> = {
  key: 'session',
  meta: sessionSocket,
  messages: sessionClientMessage,
};

const accessHeader = z.object({
  userId: z.string().min(1).max(64),
  ticks: z.boolean().optional(),
  device: z.string().optional(),
});

/** What a session webhook carries: the session as the API lists it, and who did it. */
function sessionWebhookData(userId: string, e: SessionEvent): Record<string, unknown> {
  const { pauseSegments: _pauses, ...session } = e.session;
  return { userId, version: e.version, at: e.at, session };
}
