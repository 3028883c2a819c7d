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
import { type QueueStorage, type QueuedCommand, type SessionCommandType, memoryQueue } from './queue.ts';

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
}

export interface SessionStoreIO {
  send: (msg: object) => boolean;
  queue?: QueueStorage;
  now?: () => number;
  /** The server refused a command (ours, when `cmd` is set). */
  onReject?: (cmd: QueuedCommand | null, code: string, message: string) => void;
}

const WIRE = {
  start: 'SESSION_START',
  pause: 'SESSION_PAUSE',
  resume: 'SESSION_RESUME',
  stop: 'SESSION_STOP',
} as const satisfies Record<SessionCommandType, SessionClientFrame['type']>;

const asPending = (p: Pending<QueuedCommand>): PendingCommand => ({ ...p.command, sent: p.sent });

const frameFor = (c: QueuedCommand): SessionClientFrame =>
  c.type === 'start' ? { type: WIRE.start, id: c.id, label: c.label } : { type: WIRE[c.type], id: c.id };

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
    this.snap = { view: null, last: null, pending: this.commands.pending.map(asPending) };
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
      this.io.onReject?.(cmd, m.code, m.message);
      return;
    }
    if (m.replyTo) this.commands.settle(m.replyTo);
    const current = this.snap.view;
    // An older answer (an idempotent replay of a command applied long ago) says nothing new.
    if (current && m.view.version < current.version) return;
    if (m.view.status === 'stopped') {
      this.set({ view: idleAfter(m.view), last: m.view });
      return;
    }
    const last =
      m.type === 'SESSION_STATE' && m.last && (!this.snap.last || m.last.version >= this.snap.last.version)
        ? m.last
        : this.snap.last;
    this.set({ view: m.view, last });
  }

  /** Queues a command and sends it if connected. */
  command(type: SessionCommandType, label: string | null = null): QueuedCommand {
    const at = this.now();
    return this.commands.issue((id) => ({ id, type, label: type === 'start' ? label : null, at })).command;
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
  }
  return s;
}

/** Words for a refused command. */
export function rejectionText(code: string, message: string): string {
  switch (code) {
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
