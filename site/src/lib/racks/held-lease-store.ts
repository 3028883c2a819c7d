/**
 * The lease this device holds, remembered so that /racks opens offline: a reload with no network comes back to
 * the scan screen of the rack it was scanning (the scans go to the offline queue and are sent once the network
 * is back). Online, the server's answer always wins; a lease that has ended is forgotten.
 */
import { isNum, isRec, isStr } from '../net/guards.ts';
import type { HeldLease } from './session.ts';

const KEY = 'kt:racks:held-lease';

const isHeld = (v: unknown): v is HeldLease =>
  isRec(v) &&
  isStr(v.rack_id) &&
  isStr(v.floor) &&
  isStr(v.session_id) &&
  isNum(v.fencing_token) &&
  isNum(v.expires_at) &&
  typeof v.paused === 'boolean' &&
  isNum(v.offsetMs);

export function rememberLease(lease: HeldLease | null): void {
  try {
    if (lease) localStorage.setItem(KEY, JSON.stringify(lease));
    else localStorage.removeItem(KEY);
  } catch {
    // No storage: an offline reload lands on the error page, as before.
  }
}

/** The remembered lease, or null. */
export function recallLease(): HeldLease | null {
  try {
    const raw = localStorage.getItem(KEY);
    const v: unknown = raw === null ? null : JSON.parse(raw);
    return isHeld(v) ? v : null;
  } catch {
    return null;
  }
}
