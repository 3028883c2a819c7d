/**
 * Session commands waiting for the server's answer, kept in localStorage (per
 * user) so that one made offline survives a reload and is sent again, with its
 * same id, when the socket is back: the server applies an id once.
 */
import { arrayOf, isNum, isRec, isStr, oneOf, parseJson } from '../net/guards.ts';

export type SessionCommandType = 'start' | 'pause' | 'resume' | 'stop' | 'update';

/** A focus cycle's lengths, for a start with focus. */
export interface FocusConfig {
  focusMs: number;
  breakMs: number;
  longBreakMs: number;
  every: number;
}

/** What a start (or a change while running) says beyond the label. */
export interface SessionMeta {
  projectId?: string | null;
  taskId?: string | null;
  tags?: string[];
  focus?: FocusConfig;
}

export interface QueuedCommand {
  id: string;
  type: SessionCommandType;
  /** For start. */
  label: string | null;
  /** When it was made (client clock). */
  at: number;
  /** The session version this device saw when it made the command (a late one must not touch a newer session). */
  baseVersion?: number;
  /** The session it was made for (absent for a start). */
  sessionId?: string;
  /** For start and update. */
  meta?: SessionMeta;
}

export interface QueueStorage {
  load(): QueuedCommand[];
  save(list: QueuedCommand[]): void;
}

/** A command older than this is dropped unsent: replaying a start or stop from a day ago would surprise. */
export const QUEUE_MAX_AGE_MS = 12 * 3_600_000;

const isType = oneOf<SessionCommandType>('start', 'pause', 'resume', 'stop', 'update');
const isQueued = (v: unknown): v is QueuedCommand =>
  isRec(v) && isStr(v.id) && isType(v.type) && (v.label === null || isStr(v.label)) && isNum(v.at);

/** Parses a stored queue; drops what is malformed or too old. */
export function parseQueue(text: string | null, now: number): QueuedCommand[] {
  const list = text === null ? [] : parseJson(text);
  return arrayOf(isQueued)(list) ? list.filter((c) => now - c.at < QUEUE_MAX_AGE_MS) : [];
}

const queueKey = (userId: string) => `kt:session-queue:${userId}`;

/** The queue in localStorage (a private-mode browser without storage keeps it in memory only). */
export function localQueue(userId: string, now: () => number = Date.now): QueueStorage {
  const key = queueKey(userId);
  let fallback: QueuedCommand[] = [];
  return {
    load() {
      try {
        return parseQueue(localStorage.getItem(key), now());
      } catch {
        return fallback;
      }
    },
    save(list) {
      fallback = list;
      try {
        if (list.length === 0) localStorage.removeItem(key);
        else localStorage.setItem(key, JSON.stringify(list));
      } catch {
        // Storage full or disabled: the in-memory copy still replays until the page closes.
      }
    },
  };
}

export function memoryQueue(initial: QueuedCommand[] = []): QueueStorage {
  let list = initial;
  return {
    load: () => list,
    save: (l) => {
      list = l;
    },
  };
}
