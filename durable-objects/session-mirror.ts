/**
 * What a session change sends to the mirrors (one outbox row per event), and
 * the Ops notification a mirrored stop carries.
 */
import { type SessionEvent, elapsedMs, pausedMs } from '../core/session.ts';
import { humanDuration } from '../core/session-stats.ts';
import type { SessionMirrorPayload } from './mirror-writers.ts';
import type { Notification } from './ops.ts';

/** The outbox kind of an event: 'session.started', 'session.paused', 'session.resumed' or 'session.stopped'. */
export const outboxKind = (e: SessionEvent) => `session.${e.type}` as const;

export function sessionMirrorPayload(userId: string, e: SessionEvent, actor: SessionMirrorPayload['actor']): SessionMirrorPayload {
  if (e.type === 'stopped') {
    const s = e.session;
    return {
      userId,
      version: e.version,
      at: e.at,
      actor,
      session: {
        id: s.id,
        label: s.label,
        status: 'completed',
        startTime: s.startTime,
        endTime: s.endTime,
        durationMs: s.durationMs,
        elapsedMs: s.elapsedMs,
        pausedMs: s.pausedMs,
        pauseSegments: s.pauseSegments,
        autoStopped: s.autoStopped,
      },
    };
  }
  const s = e.session;
  return {
    userId,
    version: e.version,
    at: e.at,
    actor,
    session: {
      id: s.id,
      label: s.label,
      status: s.status,
      startTime: s.startTime,
      endTime: null,
      durationMs: null,
      elapsedMs: elapsedMs(s, e.at),
      pausedMs: pausedMs(s, e.at),
      pauseSegments: s.pauseSegments,
      autoStopped: false,
    },
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
      data: { userId: p.userId, sessionId: s.id, elapsedMs: s.elapsedMs, pausedMs: s.pausedMs, autoStopped: s.autoStopped },
    },
  ];
}
