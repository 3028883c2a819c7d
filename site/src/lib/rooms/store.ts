/**
 * Client-side room state. Applies server messages in version order: a gap
 * (an event more than one version ahead, or presence news from a newer version)
 * triggers one `request-sync`. Commands carry ids; unanswered ones are resent
 * with the same id after a reconnect, so the server applies each at most once.
 */
import type { RoomMessage } from '../../../../core/rooms/transition.ts';
// Link holders' views carry no owner id.
import type { RoomInfoView as RoomInfo } from '../../../../core/rooms/wire.ts';
import type { Timer } from '../../../../core/rooms/timer.ts';
import type { RoomClientCommand } from '../../../../core/protocol.ts';
import type { Played } from '../../../../core/rooms/schedule.ts';
import { CommandChannel } from '../net/command-channel.ts';
import type { Device, Links, Role, RoomEventMessage, ServerMessage, Snapshot } from './messages.ts';

interface RoomView {
  room: RoomInfo | null;
  timers: Timer[];
  message: RoomMessage | null;
  role: Role | null;
  links: Links | null;
  viewers: number;
  controllers: number;
  devices: Device[];
  /** What has played in this show: the schedule is computed from it each frame (core/rooms/schedule.ts). */
  played: Played;
  /** The organiser asked this screen to identify itself: show `name` for `durationMs` (a new `seq` restarts it). */
  identify: { name: string; durationMs: number; seq: number } | null;
  version: number;
  /** True once a full snapshot has been applied. */
  synced: boolean;
}

/** What a client may ask the room to do: the wire `command` shapes (core/protocol.ts, type-only). */
export type ClientCommand = RoomClientCommand;

export type CommandResult = { ok: true; version: number } | { ok: false; code: string; message: string };

/** Runs a command and reports a refusal (the control panel's `run`, handed to its parts). */
export type RunCommand = (cmd: ClientCommand) => Promise<CommandResult>;

/** A command's wire frame; its id is the one the answer names. */
interface CommandFrame {
  type: 'command';
  id: string;
  command: ClientCommand;
}

interface StoreIO {
  send: (msg: object) => boolean;
}

/** A pending command older than this is abandoned (and never resent). */
export const COMMAND_TIMEOUT_MS = 10_000;

export const emptyView = (): RoomView => ({
  room: null,
  timers: [],
  message: null,
  role: null,
  links: null,
  viewers: 0,
  controllers: 0,
  devices: [],
  played: {},
  identify: null,
  version: 0,
  synced: false,
});

export class RoomStore {
  private view: RoomView = emptyView();
  private listeners = new Set<(v: RoomView) => void>();
  private readonly commands: CommandChannel<CommandFrame, CommandResult>;
  private syncRequested = false;

  constructor(private readonly io: StoreIO) {
    this.commands = new CommandChannel<CommandFrame, CommandResult>({
      send: io.send,
      frame: (f) => f,
      timeout: {
        ms: COMMAND_TIMEOUT_MS,
        result: { ok: false, code: 'timeout', message: 'The room did not confirm in time. Check the connection.' },
      },
    });
  }

  get state(): RoomView {
    return this.view;
  }

  subscribe(fn: (v: RoomView) => void): () => void {
    this.listeners.add(fn);
    fn(this.view);
    return () => this.listeners.delete(fn);
  }

  /** Applies an HTTP snapshot (same meaning as a room-state message). */
  load(s: Snapshot): void {
    this.set({
      room: s.room,
      timers: sortTimers(s.timers),
      message: s.message,
      role: s.role,
      links: s.links ?? this.view.links,
      played: s.played ?? {},
      version: s.version,
      synced: true,
    });
    this.syncRequested = false;
  }

  setLinks(links: Links): void {
    this.set({ links });
  }

  /** Applies one server message. */
  apply(m: ServerMessage): void {
    switch (m.type) {
      case 'room-state':
        this.load(m);
        this.set({ viewers: m.viewers, controllers: m.controllers });
        return;
      case 'ack':
        return this.settle(m.id, { ok: true, version: m.version });
      case 'error':
        if (m.id) this.settle(m.id, { ok: false, code: m.code, message: m.message });
        return;
      case 'pong':
      case 'tick':
        if (m.version !== undefined) this.checkBehind(m.version);
        return;
      case 'user-count':
        this.checkBehind(m.version);
        return this.set({ viewers: m.viewers, controllers: m.controllers });
      case 'devices':
        this.checkBehind(m.version);
        return this.set({ devices: m.devices });
      case 'identify':
        return this.set({
          identify: {
            name: m.name,
            durationMs: Math.max(0, m.untilMs - m.serverTime),
            seq: (this.view.identify?.seq ?? 0) + 1,
          },
        });
      case 'reload':
        // The connection acts on it (it reloads the page); nothing to keep.
        return;
      default:
        return this.event(m);
    }
  }

  /** Sends a command; resolves with the server's answer (or a timeout). */
  command(command: ClientCommand): Promise<CommandResult> {
    return this.commands.issue((id) => ({ type: 'command', id, command })).answer;
  }

  /** After a reconnect: resend unanswered commands with their original ids. */
  reconnected(): void {
    this.syncRequested = false;
    this.commands.opened();
  }

  // ── Internals ──────────────────────────────────────────────────────────
  private settle(id: string, r: CommandResult): void {
    this.commands.settle(id, r);
  }

  private requestSync(): void {
    if (this.syncRequested) return;
    this.syncRequested = this.io.send({ type: 'request-sync' });
  }

  private checkBehind(version: number): void {
    if (this.view.synced && version > this.view.version) this.requestSync();
  }

  private event(m: RoomEventMessage): void {
    if (!this.view.synced) return;
    const v = this.view.version;
    if (m.version > v + 1) return this.requestSync();
    // Several events of one change share its version; older ones are already in a snapshot.
    if (m.version < v) return;
    const patch = reduce(this.view, m);
    this.set({ ...patch, version: m.version });
  }

  private set(patch: Partial<RoomView>): void {
    this.view = { ...this.view, ...patch };
    for (const fn of this.listeners) fn(this.view);
  }
}

const sortTimers = (ts: Timer[]): Timer[] => [...ts].sort((a, b) => a.order - b.order);

/** The state change one event makes. Every event is idempotent: it carries whole objects. */
function reduce(v: RoomView, m: RoomEventMessage): Partial<RoomView> {
  switch (m.type) {
    case 'timer-update':
    case 'timer-created':
      return { timers: sortTimers([...v.timers.filter((t) => t.id !== m.timer.id), m.timer]) };
    case 'timer-deleted': {
      const { [m.timerId]: _gone, ...played } = v.played;
      return { timers: v.timers.filter((t) => t.id !== m.timerId), played };
    }
    case 'timers-reordered': {
      const order = new Map(m.timerIds.map((id, i) => [id, i]));
      return { timers: sortTimers(v.timers.map((t) => ({ ...t, order: order.get(t.id) ?? t.order }))) };
    }
    case 'rundown-replaced': {
      const ids = new Set(m.timers.map((t) => t.id));
      const played = Object.fromEntries(Object.entries(v.played).filter(([id]) => ids.has(id)));
      return { timers: sortTimers(m.timers), played };
    }
    case 'schedule-update':
      return { played: m.played };
    case 'message':
      return { message: m.message };
    case 'room-update':
      return { room: m.room };
    case 'timer-finished':
    case 'timer-phase':
      // Informational: the matching timer-update carries the state; phases are computed locally.
      return {};
  }
}
