/**
 * Conflicts of one rack's audit as a pure book:
 * `resolveConflict(book, items, id, choice, ctx, now) → { book, items, write, entry } | { rejected }`.
 * A conflict is a write refused by the batch merge (core/racks/batch.ts) because it
 * was based on an older version of an item written under another lease. It
 * stays open until someone resolves it with one of three choices:
 * - `mine`: the refused record's values become the item;
 * - `theirs`: the server's current values stay (re-written as the resolution);
 * - `merged`: both: serial numbers are the union, each quantity the larger of
 *   the two (two counts of the same shelf are not added), and never fewer
 *   units than distinct serials; the status is `damaged` if either side saw
 *   damage, else the more advanced of the two.
 * Every resolution is a write: the item's version rises by one, so a client
 * holding an older `base_version` conflicts again rather than overwrite it.
 */
import type { ItemRecord, ScanRecordInput, ScanStatus, StoredConflict } from './batch.ts';

// ── State ──────────────────────────────────────────────────────────────────
export const CONFLICT_CHOICES = ['mine', 'theirs', 'merged'] as const;
export type ConflictChoice = (typeof CONFLICT_CHOICES)[number];

interface ConflictResolution {
  choice: ConflictChoice;
  by: string;
  at: number;
  /** The item as the resolution wrote it. */
  record: ItemRecord;
}

/** A stored conflict and, once resolved, how. */
export interface ConflictEntry extends StoredConflict {
  resolution: ConflictResolution | null;
}

/** Conflicts by id (the refused record's client_record_id, unique per rack). */
export type ConflictBook = Record<string, ConflictEntry>;

/** Who resolves, and the lease the write is filed under (the live one, else the conflict's). */
interface ResolveContext {
  userId: string;
  sessionId: string;
  fencingToken: number;
  /** Whether an audit is under way: only then (or if the item is in it) does the write join the audit's items. */
  live: boolean;
}

type ConflictRejectCode = 'conflict_not_found' | 'conflict_resolved';

export type ResolveOutcome =
  | { book: ConflictBook; items: Record<string, ItemRecord>; write: ItemRecord; entry: ConflictEntry }
  | { rejected: ConflictRejectCode; message: string };

// ── Derivations ──────────────────────────────────────────────────────────
export function addConflicts(book: ConflictBook, conflicts: StoredConflict[]): ConflictBook {
  if (conflicts.length === 0) return book;
  const next = { ...book };
  for (const c of conflicts) next[c.clientRecordId] ??= { ...c, resolution: null };
  return next;
}

/** Open conflicts, oldest first. */
export function openConflicts(book: ConflictBook): ConflictEntry[] {
  return Object.values(book)
    .filter((c) => c.resolution === null)
    .sort((a, b) => a.at - b.at || (a.clientRecordId < b.clientRecordId ? -1 : 1));
}

/** What `theirs` is now: the item's current record, or the one the conflict met if the audit has since been reset. */
function theirsOf(entry: StoredConflict, items: Record<string, ItemRecord>): ItemRecord {
  return items[entry.itemCode] ?? entry.serverRecord;
}

const STATUS_RANK: Record<ScanStatus, number> = { pending: 0, verified: 1, finalized: 2, damaged: 3 };

/** The values a choice keeps, before they are written. */
export function chosenValues(
  choice: ConflictChoice,
  mine: ScanRecordInput,
  theirs: ItemRecord,
): Pick<ItemRecord, 'verifiedQty' | 'damageQty' | 'serialNumbers' | 'status'> {
  if (choice === 'mine')
    return {
      verifiedQty: mine.verified_qty,
      damageQty: mine.damage_qty,
      serialNumbers: [...mine.serial_numbers],
      status: mine.status,
    };
  if (choice === 'theirs')
    return {
      verifiedQty: theirs.verifiedQty,
      damageQty: theirs.damageQty,
      serialNumbers: [...theirs.serialNumbers],
      status: theirs.status,
    };
  const serialNumbers = [...new Set([...theirs.serialNumbers, ...mine.serial_numbers])];
  const damageQty = Math.max(mine.damage_qty, theirs.damageQty);
  const verifiedQty = Math.max(mine.verified_qty, theirs.verifiedQty, serialNumbers.length - damageQty);
  const damaged = damageQty > 0 || mine.status === 'damaged' || theirs.status === 'damaged';
  const status: ScanStatus = damaged
    ? 'damaged'
    : STATUS_RANK[mine.status] >= STATUS_RANK[theirs.status]
      ? mine.status
      : theirs.status;
  return { verifiedQty, damageQty, serialNumbers, status };
}

// ── Transition ─────────────────────────────────────────────────────────────
export function resolveConflict(
  book: ConflictBook,
  items: Record<string, ItemRecord>,
  id: string,
  choice: ConflictChoice,
  ctx: ResolveContext,
  now: number,
): ResolveOutcome {
  const entry = Object.hasOwn(book, id) ? book[id] : undefined;
  if (!entry) return { rejected: 'conflict_not_found', message: 'No such conflict on this rack' };
  if (entry.resolution)
    return { rejected: 'conflict_resolved', message: `The conflict was already resolved (${entry.resolution.choice})` };
  const theirs = theirsOf(entry, items);
  const current = items[entry.itemCode];
  const write: ItemRecord = {
    ...chosenValues(choice, entry.record, theirs),
    clientRecordId: entry.clientRecordId,
    itemCode: entry.itemCode,
    version: Math.max(current?.version ?? 0, entry.serverRecord.version) + 1,
    sessionId: ctx.sessionId,
    userId: ctx.userId,
    fencingToken: ctx.fencingToken,
    createdAt: entry.record.created_at,
    updatedAt: Math.max(now, entry.record.updated_at, theirs.updatedAt),
    syncedAt: now,
  };
  const resolved: ConflictEntry = { ...entry, resolution: { choice, by: ctx.userId, at: now, record: write } };
  const joins = ctx.live || current !== undefined;
  return {
    book: { ...book, [id]: resolved },
    items: joins ? { ...items, [entry.itemCode]: write } : items,
    write,
    entry: resolved,
  };
}

// ── Wire view ────────────────────────────────────────────────────────────────
export interface ConflictSide {
  verified_qty: number;
  damage_qty: number;
  serial_numbers: string[];
  status: ScanStatus;
}

/** A conflict as the API lists it: the three choices side by side. */
export interface ConflictView {
  id: string;
  rack_id: string;
  item_code: string;
  reason: StoredConflict['reason'];
  detected_at: number;
  /** Who sent the refused record, under which session. */
  user_id: string;
  session_id: string;
  mine: ConflictSide & { updated_at: number; base_version: number | null };
  theirs: ConflictSide & { updated_at: number; version: number; user_id: string; session_id: string };
  merged: ConflictSide;
  resolution: { choice: ConflictChoice; by: string; at: number; version: number } | null;
}

const side = (v: Pick<ItemRecord, 'verifiedQty' | 'damageQty' | 'serialNumbers' | 'status'>): ConflictSide => ({
  verified_qty: v.verifiedQty,
  damage_qty: v.damageQty,
  serial_numbers: v.serialNumbers,
  status: v.status,
});

export function conflictView(rackId: string, entry: ConflictEntry, items: Record<string, ItemRecord>): ConflictView {
  const theirs = entry.resolution ? entry.serverRecord : theirsOf(entry, items);
  const r = entry.record;
  return {
    id: entry.clientRecordId,
    rack_id: rackId,
    item_code: entry.itemCode,
    reason: entry.reason,
    detected_at: entry.at,
    user_id: entry.userId,
    session_id: entry.sessionId,
    mine: { ...side(chosenValues('mine', r, theirs)), updated_at: r.updated_at, base_version: r.base_version ?? null },
    theirs: {
      ...side(theirs),
      updated_at: theirs.updatedAt,
      version: theirs.version,
      user_id: theirs.userId,
      session_id: theirs.sessionId,
    },
    merged: side(chosenValues('merged', r, theirs)),
    resolution: entry.resolution
      ? {
          choice: entry.resolution.choice,
          by: entry.resolution.by,
          at: entry.resolution.at,
          version: entry.resolution.record.version,
        }
      : null,
  };
}
