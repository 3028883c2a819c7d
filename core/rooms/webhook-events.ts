/**
 * Which webhook events a room change sends: a pure reading of the change's room events against the state before
 * it. Event ids are derived from the room and the version, so one change always carries the same ids.
 */
import { finishAt, remainingMs } from './timer.ts';
import type { RoomEvent, RoomState } from './transition.ts';

export interface RoomWebhookEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

export function roomWebhookEvents(
  prev: RoomState,
  next: RoomState,
  events: RoomEvent[],
  now: number,
): RoomWebhookEvent[] {
  const out: RoomWebhookEvent[] = [];
  const room = { roomId: next.room.id, roomName: next.room.name, version: next.version };
  const label = (timerId: string) =>
    (next.timers.find((t) => t.id === timerId) ?? prev.timers.find((t) => t.id === timerId))?.label ?? '';
  const add = (type: string, data: Record<string, unknown>) =>
    out.push({ id: `evt_${next.room.id}_${next.version}_${out.length}`, type, data: { ...room, ...data } });
  for (const e of events) {
    switch (e.type) {
      case 'timer-update': {
        const before = prev.timers.find((t) => t.id === e.timer.id);
        const t = e.timer;
        if (t.state === 'running' && before?.state !== 'running')
          add('timer.started', {
            timerId: t.id,
            label: t.label,
            resumed: before?.state === 'paused',
            startedAt: t.startedAt,
            endsAt: finishAt(t),
          });
        else if (t.state === 'paused' && before?.state === 'running')
          add('timer.paused', { timerId: t.id, label: t.label, remainingMs: Math.round(remainingMs(t, now)) });
        break;
      }
      case 'timer-phase':
        if (e.phase === 'warning' || e.phase === 'danger')
          add(`timer.${e.phase}`, { timerId: e.timerId, label: label(e.timerId) });
        break;
      case 'timer-finished':
        add('timer.finished', { timerId: e.timerId, label: label(e.timerId), finishedAt: e.finishedAt });
        break;
      case 'message':
        if (e.message) add('message.shown', { ...e.message });
        else if (prev.message) add('message.cleared', {});
        break;
      default:
        break;
    }
  }
  return out;
}
