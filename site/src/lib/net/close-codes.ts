/**
 * The close codes each live socket acts on, from core/errors.ts (the objects
 * close with the same constants). A final code stops reconnection. A refused
 * upgrade reaches a browser as 1006, so the site probes over HTTP and maps
 * the status to a close code with `closeCodeForStatus`.
 */
import { CLOSE, type CloseCode } from '../../../../core/errors.ts';

export { CLOSE, type CloseCode };

export type SocketKind = 'room' | 'session' | 'rack' | 'floor' | 'ops';

/** The codes after which each kind of socket stops for good. */
export const FINAL_CLOSE_CODES: Readonly<Record<SocketKind, readonly CloseCode[]>> = {
  /**
   * The share link was rotated, the room deleted, the organiser disconnected this device, or a probe found the
   * caller unknown or refused.
   */
  room: [CLOSE.rotated, CLOSE.deleted, CLOSE.disconnected, CLOSE.unauthenticated, CLOSE.forbidden],
  session: [CLOSE.unauthenticated, CLOSE.forbidden],
  rack: [CLOSE.unauthenticated, CLOSE.forbidden, CLOSE.deleted],
  floor: [CLOSE.unauthenticated, CLOSE.forbidden, CLOSE.deleted],
  ops: [CLOSE.unauthenticated, CLOSE.forbidden],
};

/** Codes after which a socket reconnects on purpose: a fresh connection gets fresh metadata. */
export const RECONNECT_CLOSE_CODES: readonly CloseCode[] = [CLOSE.invalidSession];

/** The close code a refused upgrade's HTTP status stands for, or null when retrying may help. */
export function closeCodeForStatus(status: number): CloseCode | null {
  if (status === 401) return CLOSE.unauthenticated;
  if (status === 403) return CLOSE.forbidden;
  if (status === 404) return CLOSE.deleted;
  return null;
}
