/**
 * Commands too big for one socket frame (LIMITS.wsMessage): reordering a rundown of several hundred timers
 * (500 ids of 36 characters pass 16 KiB) goes over HTTP instead; the socket still brings the change to every panel.
 */
import { LIMITS } from '../../../../core/errors.ts';
import { ApiError, api, errorText } from '../net/api.ts';
import { isNum, isRec } from '../net/guards.ts';
import { newId } from '../net/id.ts';
import type { CommandResult } from './store.ts';

const isVersioned = (v: unknown): v is { version: number } => isRec(v) && isNum(v.version);

/** True when `command`, framed as the store frames it, fits one socket message. */
export function fitsFrame(command: unknown): boolean {
  const frame = JSON.stringify({ type: 'command', id: newId(), command });
  return new TextEncoder().encode(frame).byteLength <= LIMITS.wsMessage;
}

/** POST /api/rooms/:id/reorder, answered as a socket command is (idempotent under one key). */
export async function reorderOverHttp(
  roomId: string,
  timerIds: string[],
  token: string | null,
): Promise<CommandResult> {
  try {
    const r = await api(`/api/rooms/${roomId}/reorder`, isVersioned, {
      method: 'POST',
      body: { timerIds },
      token,
      idempotencyKey: newId(),
    });
    return { ok: true, version: r.version };
  } catch (e) {
    return { ok: false, code: e instanceof ApiError ? e.code : 'network', message: errorText(e) };
  }
}
