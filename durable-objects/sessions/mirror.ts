/**
 * What a session change sends to the mirrors (one outbox row per event), and
 * the Ops notification a mirrored stop carries.
 */
import { type SessionEvent, elapsedMs, pausedMs } from '../../core/sessions/transition.ts';
import { humanDuration } from '../../core/sessions/stats.ts';
import { sql } from 'drizzle-orm';
import { type PauseSegment, sessionsTable } from '../../drizzle/schema.ts';
import { type Tx, checked, dateOrNull as d } from '../platform/mirrors/rows.ts';
import type { Notification } from '../ops/ops.ts';

/** The payload of a live-session outbox event ('session.started' | 'session.paused' | 'session.resumed' | 'session.stopped'). */
export interface SessionMirrorPayload {
  userId: string;
  version: number;
  at: number;
  actor: { id: string | null; role: 'user' | 'system' };
  session: {
    id: string;
    label: string | null;
    status: 'running' | 'paused' | 'completed';
    startTime: number;
    endTime: number | null;
    durationMs: number | null;
    elapsedMs: number;
    pausedMs: number;
    pauseSegments: PauseSegment[];
    autoStopped: boolean;
  };
}

/** The outbox kind of an event: 'session.started', 'session.paused', 'session.resumed' or 'session.stopped'. */
export const outboxKind = (e: SessionEvent) => `session.${e.type}` as const;

export function sessionMirrorPayload(
  userId: string,
  e: SessionEvent,
  actor: SessionMirrorPayload['actor'],
): SessionMirrorPayload {
  const s = e.session;
  // A stopped session carries its final figures; an open one is measured at the event's instant.
  const figures =
    e.type === 'stopped'
      ? {
          status: 'completed' as const,
          endTime: e.session.endTime,
          durationMs: e.session.durationMs,
          elapsedMs: e.session.elapsedMs,
          pausedMs: e.session.pausedMs,
          autoStopped: e.session.autoStopped,
        }
      : {
          status: e.session.status,
          endTime: null,
          durationMs: null,
          elapsedMs: elapsedMs(e.session, e.at),
          pausedMs: pausedMs(e.session, e.at),
          autoStopped: false,
        };
  return {
    userId,
    version: e.version,
    at: e.at,
    actor,
    session: { id: s.id, label: s.label, startTime: s.startTime, pauseSegments: s.pauseSegments, ...figures },
  };
}

/** The Ops feed entry for a mirrored stop; nothing for the other kinds. */
export function sessionNotifications(kind: string, p: SessionMirrorPayload): Notification[] {
  if (kind !== 'session.stopped') return [];
  const s = p.session;
  const name = s.label ? `Session “${s.label}”` : 'A session';
  const how = s.autoStopped ? `reached its time limit after ${humanDuration(s.durationMs ?? 0)}` : 'completed';
  return [
    {
      kind: 'session-completed',
      at: p.at,
      text: `${name} ${how}: ${humanDuration(s.elapsedMs)} active`,
      data: {
        userId: p.userId,
        sessionId: s.id,
        elapsedMs: s.elapsedMs,
        pausedMs: s.pausedMs,
        autoStopped: s.autoStopped,
      },
    },
  ];
}

/** One row per session, keyed on (user_id, start_time); a late retry never rolls it back (version guard). */
export async function writeSession(tx: Tx, p: SessionMirrorPayload) {
  const s = p.session;
  const values = {
    id: s.id,
    userId: p.userId,
    label: s.label,
    status: s.status,
    startTime: new Date(s.startTime),
    endTime: d(s.endTime),
    durationMs: s.durationMs,
    elapsedMs: s.elapsedMs,
    pausedMs: s.pausedMs,
    pauseSegments: s.pauseSegments,
    autoStopped: s.autoStopped,
    version: p.version,
    createdAt: new Date(s.startTime),
    updatedAt: new Date(p.at),
  };
  const { id: _i, userId: _u, startTime: _s, createdAt: _c, ...set } = values;
  await tx
    .insert(sessionsTable)
    .values(checked('sessions', values))
    .onConflictDoUpdate({
      target: [sessionsTable.userId, sessionsTable.startTime],
      set,
      setWhere: sql`${sessionsTable.version} <= excluded.version`,
    });
}
