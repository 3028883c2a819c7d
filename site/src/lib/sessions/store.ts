/**
 * Client-side state of the user's live session. Server messages apply in
 * version order (each carries the whole session, so a missed one costs
 * nothing). Commands get an id, wait in a persistent queue until the server
 * answers it (`replyTo`, or an error naming it), and are sent again with the
 * same id after every reconnect, so the server applies each once.
 */
import type { SessionClientFrame } from '../../../../core/protocol.ts';
import { CommandChannel, type Pending } from '../net/command-channel.ts';
import type { SessionServerMessage, SessionView } from './messages.ts';
import {
  type QueueStorage,
  type QueuedCommand,
  type SessionCommandType,
  type SessionMeta,
  memoryQueue,
} from './queue.ts';

export interface PendingCommand extends QueuedCommand {
  /** Sent on the current connection (else waiting for one). */
  sent: boolean;
}

interface SessionSnapshot {
  /** The session as the server last said: running, paused or idle (null before the first word). */
  view: SessionView | null;
  /** The latest stopped session. */
  last: SessionView | null;
  pending: PendingCommand[];
  /** "Still working?" is open since this instant (null: no prompt). */
  idleSince: number | null;
  /** Counts of SESSION_ENTRY and PROJECT_CHANGED/TASK_CHANGED seen: lists reload when they move. */
  entriesRev: number;
  projectsRev: number;
}

export interface SessionStoreIO {
  send: (msg: object) => boolean;
  queue?: QueueStorage;
  now?: () => number;
  /** The server refused a command (ours, when `cmd` is set). */
  onReject?: (
    cmd: QueuedCommand | null,
    code: string,
    message: string,
    details?: Record<string, unknown> | null,
  ) => void;
}

const WIRE = {
  start: 'SESSION_START',
  pause: 'SESSION_PAUSE',
  resume: 'SESSION_RESUME',
  stop: 'SESSION_STOP',
} as const satisfies Record<Exclude<SessionCommandType, 'update'>, SessionClientFrame['type']>;

const asPending = (p: Pending<QueuedCommand>): PendingCommand => ({ ...p.command, sent: p.sent });

/** The wire frame: the contract's fields, then (when set) the base version and the start's project, task, tags and focus. */
function frameFor(c: QueuedCommand): object {
  const base = {
    ...(c.sessionId ? { sessionId: c.sessionId } : {}),
    // A stop ends the session whatever changed meanwhile; pause, resume and update must see the version they were made on.
    ...(c.baseVersion === undefined || c.type === 'stop' ? {} : { baseVersion: c.baseVersion }),
  };
  if (c.type === 'update') return { type: 'SESSION_UPDATE', id: c.id, label: c.label, ...c.meta, ...base };
  const frame: SessionClientFrame =
    c.type === 'start' ? { type: WIRE.start, id: c.id, label: c.label } : { type: WIRE[c.type], id: c.id };
  return { ...frame, ...(c.type === 'start' ? c.meta : {}), ...base };
}

/** The idle session that follows a stop. */
const idleAfter = (v: SessionView): SessionView => ({
  ...v,
  status: 'idle',
  startTime: null,
  elapsedTime: 0,
  pausedTime: 0,
  label: null,
  id: null,
  endTime: null,
  accumulatedMs: 0,
  resumedAt: null,
  pauseSegments: [],
  autoStopAt: null,
  autoStopped: false,
  projectId: null,
  taskId: null,
  tags: [],
  lastActivityAt: null,
  idleSince: null,
  idleAutoStopAt: null,
  focus: null,
  stopReason: null,
  stoppedBy: null,
});

export class SessionStore {
  private snap: SessionSnapshot;
  private listeners = new Set<(s: SessionSnapshot) => void>();
  private readonly commands: CommandChannel<QueuedCommand, void>;
  private readonly now: () => number;

  constructor(private readonly io: SessionStoreIO) {
    const queue = io.queue ?? memoryQueue();
    this.now = io.now ?? Date.now;
    this.commands = new CommandChannel<QueuedCommand, void>({
      send: io.send,
      frame: frameFor,
      initial: queue.load(),
      waitForOpen: true,
      // The queue outlives the page: what is pending now is what a reload sends again.
      onChange: (pending) => {
        queue.save(pending.map((p) => p.command));
        this.set({ pending: pending.map(asPending) });
      },
    });
    this.snap = {
      view: null,
      last: null,
      pending: this.commands.pending.map(asPending),
      idleSince: null,
      entriesRev: 0,
      projectsRev: 0,
    };
  }

  get state(): SessionSnapshot {
    return this.snap;
  }

  subscribe(fn: (s: SessionSnapshot) => void): () => void {
    this.listeners.add(fn);
    fn(this.snap);
    return () => this.listeners.delete(fn);
  }

  /** Applies one server message. */
  apply(m: SessionServerMessage): void {
    if (m.type === 'pong') return;
    if (m.type === 'error') {
      const cmd = m.id ? this.commands.settle(m.id) : null;
      this.io.onReject?.(cmd, m.code, m.message, m.details ?? null);
      return;
    }
    if (m.type === 'ACTIVITY_OK') return;
    if (m.type === 'LISTS_CHANGED') {
      if (m.what === 'entries') this.set({ entriesRev: this.snap.entriesRev + 1 });
      else this.set({ projectsRev: this.snap.projectsRev + 1 });
      return;
    }
    if (m.replyTo) this.commands.settle(m.replyTo);
    const current = this.snap.view;
    // An older answer (an idempotent replay of a command applied long ago) says nothing new.
    if (current && m.view.version < current.version) return;
    // Every view says whether "Still working?" is open (an answer on any device clears it everywhere).
    const idleSince = m.view.status === 'running' ? m.view.idleSince : null;
    if (m.view.status === 'stopped') {
      this.set({ view: idleAfter(m.view), last: m.view, idleSince: null });
      return;
    }
    const last =
      m.type === 'SESSION_STATE' && m.last && (!this.snap.last || m.last.version >= this.snap.last.version)
        ? m.last
        : this.snap.last;
    this.set({ view: m.view, last, idleSince });
  }

  /** Queues a command and sends it if connected. */
  command(type: SessionCommandType, label: string | null = null, meta?: SessionMeta): QueuedCommand {
    const at = this.now();
    const v = this.snap.view;
    // Made against the session this device sees: a late command must not touch a newer one.
    const against = v && type !== 'start' ? { baseVersion: v.version, ...(v.id ? { sessionId: v.id } : {}) } : {};
    return this.commands.issue((id) => ({
      id,
      type,
      label: type === 'start' || type === 'update' ? label : null,
      at,
      ...against,
      ...(meta && (type === 'start' || type === 'update') ? { meta } : {}),
    })).command;
  }

  /** Sends a frame that is not a queued command (activity, the idle answer); false when offline. */
  send(frame: object): boolean {
    return this.io.send(frame);
  }

  /** Closes the "Still working?" prompt here at once (the server's word confirms it on every device). */
  clearIdle(): void {
    this.set({ idleSince: null });
  }

  /** The socket is open: send every unanswered command again, oldest first, with its id. */
  reconnected(): void {
    this.commands.opened();
  }

  disconnected(): void {
    this.commands.closed();
  }

  // ── Internals ──────────────────────────────────────────────────────────

  private set(patch: Partial<SessionSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const fn of this.listeners) fn(this.snap);
  }
}

export type PredictedStatus = 'idle' | 'running' | 'paused';

/** What the session will be once the queued commands apply (commands that would be refused change nothing). */
export function predictedStatus(view: SessionView | null, pending: readonly QueuedCommand[]): PredictedStatus {
  let s: PredictedStatus = view?.status === 'running' || view?.status === 'paused' ? view.status : 'idle';
  for (const c of pending) {
    if (c.type === 'start' && s === 'idle') s = 'running';
    else if (c.type === 'pause' && s === 'running') s = 'paused';
    else if (c.type === 'resume' && s === 'paused') s = 'running';
    else if (c.type === 'stop' && s !== 'idle') s = 'idle';
    // update changes what the session is for, never its state.
  }
  return s;
}

/** "14:02", or "Tue 14:02" when not today, in the browser's locale. */
function timeWords(at: number, now = Date.now()): string {
  const d = new Date(at);
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(d);
  if (new Date(now).toDateString() === d.toDateString()) return time;
  return `${new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' }).format(d)} ${time}`;
}

/** Which device stopped the session, and when, from a stale_session refusal's details (names vary; absent ones read as null). */
function staleFacts(details: Record<string, unknown> | null | undefined): {
  device: string | null;
  at: number | null;
  running: boolean;
} {
  const rec = (x: unknown) => (typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {});
  const d = rec(details);
  const target = rec(d.target);
  const by = rec(target.stoppedBy ?? d.stoppedBy);
  const device = [by.device, d.device].find((x): x is string => typeof x === 'string' && x.trim() !== '');
  const at = [target.endTime, d.stoppedAt].find((x): x is number => typeof x === 'number');
  const current = rec(d.current);
  const running = current.status === 'running' || current.status === 'paused';
  return { device: device ?? (by.role === 'system' ? 'Keeptime' : null), at: at ?? null, running };
}

/** Words for a refused command. */
export function rejectionText(code: string, message: string, details?: Record<string, unknown> | null): string {
  switch (code) {
    case 'stale_session':
    case 'stale_version': {
      const { device, at, running } = staleFacts(details);
      if (code === 'stale_version' || (device === null && at === null)) {
        return code === 'stale_version'
          ? 'The session changed on another device meanwhile: nothing was applied, the screen shows it as it is now'
          : message;
      }
      const where = device === 'Keeptime' ? 'Stopped by Keeptime' : `Stopped on your ${device ?? 'other device'}`;
      return `${where}${at !== null ? ` at ${timeWords(at)}` : ''}${running ? '; a new session is running' : ''}`;
    }
    case 'session_exists':
      return 'A session is already running (started on another device?)';
    case 'no_active_session':
      return 'There is no session in progress: it was stopped, perhaps on another device';
    case 'not_running':
      return 'The session is already paused';
    case 'not_paused':
      return 'The session is already running';
    default:
      return message;
  }
}
