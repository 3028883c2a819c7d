/** The live schedule, computed on the client from the store's state and a clock reading (no ticks from the server). */
import { computeSchedule, type RoomSchedule } from '../../../../../core/rooms/schedule.ts';
import type { StoreView } from './types.ts';

/** The room's schedule at `now`, or null before the room is known. */
export function scheduleAt(view: StoreView, now: number): RoomSchedule | null {
  if (!view.room) return null;
  return computeSchedule({ room: view.room, timers: view.timers, played: view.played }, now);
}
