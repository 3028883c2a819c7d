/**
 * Conflicts of the rack audit: list a rack's (holder or admin) or a floor's
 * (admin), and resolve one with mine, theirs or merged. Every answer is guarded.
 */
import { apiClient, call } from '../net/client.ts';
import { arrayOf, isNum, isRec, isStr } from '../net/guards.ts';

export type ConflictChoice = 'mine' | 'theirs' | 'merged';

export interface ConflictSide {
  verified_qty: number;
  damage_qty: number;
  serial_numbers: string[];
  status: string;
}

export interface Conflict {
  id: string;
  rack_id: string;
  item_code: string;
  detected_at: number;
  user_id: string;
  mine: ConflictSide;
  theirs: ConflictSide & { version: number; user_id: string };
  merged: ConflictSide;
  resolution: { choice: ConflictChoice; by: string; at: number; version: number } | null;
}

const isChoice = (v: unknown): v is ConflictChoice => v === 'mine' || v === 'theirs' || v === 'merged';
const isSide = (v: unknown): v is ConflictSide =>
  isRec(v) && isNum(v.verified_qty) && isNum(v.damage_qty) && arrayOf(isStr)(v.serial_numbers) && isStr(v.status);
const isResolution = (v: unknown): v is Conflict['resolution'] =>
  v === null || (isRec(v) && isChoice(v.choice) && isStr(v.by) && isNum(v.at) && isNum(v.version));
const isConflict = (v: unknown): v is Conflict =>
  isRec(v) &&
  isStr(v.id) &&
  isStr(v.rack_id) &&
  isStr(v.item_code) &&
  isNum(v.detected_at) &&
  isStr(v.user_id) &&
  isSide(v.mine) &&
  isSide(v.theirs) &&
  isRec(v.theirs) &&
  isNum((v.theirs as Record<string, unknown>).version) &&
  isStr((v.theirs as Record<string, unknown>).user_id) &&
  isSide(v.merged) &&
  isResolution(v.resolution);

/** One page of a conflict list: `nextCursor` asks for the next, null on the last page. */
interface ConflictPage {
  conflicts: Conflict[];
  nextCursor: string | null;
}

const isList = (v: unknown): v is ConflictPage =>
  isRec(v) && arrayOf(isConflict)(v.conflicts) && (v.nextCursor === null || isStr(v.nextCursor));

const racks = apiClient('rackConflicts');
const enc = encodeURIComponent;

/** A page's query: from the start, or after the page whose `nextCursor` this is. */
const pageQuery = (cursor: string | null) => (cursor === null ? {} : { cursor });

/** One page of a rack's open conflicts, oldest first. */
export const rackConflicts = (rackId: string, cursor: string | null = null): Promise<ConflictPage> =>
  call(
    racks.racks[':rackId'].conflicts,
    '$get',
    { param: { rackId: enc(rackId) }, query: pageQuery(cursor) },
    isList,
  ).then((a) => ({ conflicts: a.conflicts, nextCursor: a.nextCursor }));
/** One page of a floor's open conflicts, oldest first. */
export const floorConflicts = (floor: string, cursor: string | null = null): Promise<ConflictPage> =>
  call(
    racks.floors[':floor'].conflicts,
    '$get',
    { param: { floor: enc(floor) }, query: pageQuery(cursor) },
    isList,
  ).then((a) => ({ conflicts: a.conflicts, nextCursor: a.nextCursor }));
export const resolveConflict = (c: Pick<Conflict, 'rack_id' | 'id'>, choice: ConflictChoice) =>
  call(
    racks.racks[':rackId'].conflicts[':conflictId'].resolve,
    '$post',
    { param: { rackId: enc(c.rack_id), conflictId: enc(c.id) } },
    (v): v is { conflict: Conflict } => isRec(v) && isConflict(v.conflict),
    { body: { choice } },
  ).then((a) => a.conflict);

/** Short text of one side: "4 ok · 1 dmg · S1, S2". */
export function sideText(s: ConflictSide): string {
  const parts = [`${s.verified_qty} ok`];
  if (s.damage_qty > 0) parts.push(`${s.damage_qty} dmg`);
  if (s.serial_numbers.length > 0) parts.push(s.serial_numbers.join(', '));
  return parts.join(' · ');
}

/** Where the conflicts screen lives for a rack or a floor. */
export const conflictsHref = (q: { rack: string } | { floor: string }) =>
  'rack' in q ? `/conflicts/?rack=${encodeURIComponent(q.rack)}` : `/conflicts/?floor=${encodeURIComponent(q.floor)}`;
