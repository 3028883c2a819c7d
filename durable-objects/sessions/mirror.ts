/**
 * What a session change sends to the mirrors (one outbox row per event), and
 * the Ops notification a mirrored stop carries.
 */
import { type SessionEvent, elapsedMs, pausedMs } from '../../core/sessions/transition.ts';
import { humanDuration } from '../../core/sessions/stats.ts';
import type { SessionMirrorPayload } from '../platform/mirrors/writers.ts';
import type { Notification } from '../ops/ops.ts';

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
