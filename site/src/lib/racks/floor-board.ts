/**
 * The floor board's socket (GET /api/floors/:floor/ws): `floor-state` on
 * every connect, then `rack-status` per change, kept in version order.
 */
import type { FloorServerMessage } from '../../../../core/racks/wire.ts';
import { arrayOf, isNum, isRec, isStr, parseJson } from '../net/guards.ts';
import { type RackStatus, isRackStatus, listAvailable } from './api.ts';
import { openLiveChannel } from '../net/live-channel.ts';
import type { ReconnectingSocket } from '../net/socket.ts';

type Sent<T extends FloorServerMessage['type']> = Pick<Extract<FloorServerMessage, { type: T }>, 'type' | 'serverTime'>;

/** The board's messages (core/racks/wire.ts) as the page keeps them: a rack's status apart from the frame. */
type FloorMessage = (Sent<'floor-state'> & { racks: RackStatus[] }) | (Sent<'rack-status'> & { rack: RackStatus });

export function parseFloorMessage(raw: string): FloorMessage | null {
  const v = parseJson(raw);
  if (!isRec(v) || !isNum(v.serverTime)) return null;
  const serverTime = v.serverTime;
  if (v.type === 'floor-state' && arrayOf(isRackStatus)(v.racks))
    return { type: 'floor-state', racks: v.racks, serverTime };
  if (v.type === 'rack-status' && isRackStatus(v)) {
    const { type: _t, serverTime: _s, ...rack } = v as RackStatus & { type: string; serverTime: number };
    return { type: 'rack-status', rack, serverTime };
  }
  return null;
}

/** Applies a message to the board (rack id → status); an older version never replaces a newer one. */
export function applyFloorMessage(board: Record<string, RackStatus>, m: FloorMessage): Record<string, RackStatus> {
  if (m.type === 'floor-state') return Object.fromEntries(m.racks.map((r) => [r.rack_id, r]));
  const known = board[m.rack.rack_id];
  if (known && known.version > m.rack.version) return board;
  return { ...board, [m.rack.rack_id]: m.rack };
}

export function connectFloor(floor: string, onMessage: (m: FloorMessage) => void): ReconnectingSocket {
  return openLiveChannel({
    kind: 'floor',
    path: `/api/floors/${encodeURIComponent(floor)}/ws`,
    // A refused upgrade (not logged in, no such floor) ends the channel instead of retrying forever.
    probe: () => listAvailable(floor),
    parse: parseFloorMessage,
    onMessage,
  });
}

export const isFloorId = (v: unknown): v is string => isStr(v) && /^[a-z0-9-]{1,64}$/.test(v);
