/**
 * The holder's rack socket (GET /api/racks/:rackId/ws): `rack-status` on
 * every change and `lease-lost` when the lease ends under the holder, over a
 * live channel; the HTTP answers stay the source of truth.
 */
import type { LeaseLostMessage } from '../../../../core/racks/wire.ts';
import { isNum, isRec, isStr, parseJson } from '../net/guards.ts';
import { type RackStatus, isRackStatus } from './api.ts';
import { anyBody, api } from '../net/api.ts';
import { openLiveChannel } from '../net/live-channel.ts';
import type { ReconnectingSocket } from '../net/socket.ts';

/** The rack socket's messages (core/racks/wire.ts) this page uses, with the fields it checks. */
export type RackSocketMessage =
  | ({ type: 'rack-status' } & RackStatus)
  | Pick<LeaseLostMessage, 'type' | 'session_id' | 'fencing_token' | 'reason'>;

/** The message, or null for anything this page does not use or cannot trust. */
export function parseRackMessage(raw: string): RackSocketMessage | null {
  const v = parseJson(raw);
  if (!isRec(v)) return null;
  if (v.type === 'rack-status' && isRackStatus(v)) return { ...v, type: 'rack-status' };
  if (v.type === 'lease-lost' && isStr(v.session_id) && isNum(v.fencing_token))
    return {
      type: 'lease-lost',
      session_id: v.session_id,
      fencing_token: v.fencing_token,
      reason: isStr(v.reason) ? v.reason : 'expired',
    };
  return null;
}

export function connectRack(rackId: string, onMessage: (m: RackSocketMessage) => void): ReconnectingSocket {
  return openLiveChannel({
    kind: 'rack',
    path: `/api/racks/${encodeURIComponent(rackId)}/ws`,
    // A refused upgrade (not logged in, no such rack) ends the channel instead of retrying forever.
    probe: () => api(`/api/racks/${encodeURIComponent(rackId)}/status`, anyBody),
    parse: parseRackMessage,
    onMessage,
  });
}
