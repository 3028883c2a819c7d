/**
 * Blind counts: what a member may see of a blind rack's audit. The server never sends a member the expected
 * quantities of a blind rack (not in status, board, summary, conflicts or sync answers); after completion the counter
 * sees what was counted. Pure.
 */
import type { AuditSummary } from './summary.ts';

/** A completed blind audit as its counter (or any member) sees it: the counts, never what was expected. */
export interface BlindSummary {
  blind: true;
  counted: Array<{ item_code: string; counted_qty: number }>;
  scanned_total: number;
  total_items: number;
  verified_items: number;
  damage_items: number;
  pending_items: number;
  duration_seconds: number;
  items_per_minute: number;
  truncated?: true;
}

/** The member view of a summary: the counted side only. */
export function blindSummary(s: AuditSummary): BlindSummary {
  return {
    blind: true,
    counted: s.variance
      .filter((v) => v.scanned_qty > 0)
      .map((v) => ({ item_code: v.item_code, counted_qty: v.scanned_qty })),
    scanned_total: s.scanned_total,
    total_items: s.total_items,
    verified_items: s.verified_items,
    damage_items: s.damage_items,
    pending_items: s.pending_items,
    duration_seconds: s.duration_seconds,
    items_per_minute: s.items_per_minute,
    ...(s.truncated ? { truncated: true as const } : {}),
  };
}

/** A stored summary says it came from a blind rack (set at completion, so Postgres history knows too). */
export const isBlindSummary = (s: unknown): boolean =>
  typeof s === 'object' && s !== null && (s as { blind?: unknown }).blind === true;

/** Field names that carry an expectation; a member's view of a blind rack holds none of them. */
export const EXPECTED_FIELDS = [
  'expected_qty',
  'expected_total',
  'expected',
  'item_estimate',
  'variance',
  'missing',
  'flagged',
] as const;

/**
 * The paths in `value` where a field named in EXPECTED_FIELDS holds something other than null (an empty list is
 * nothing). Used by tests that walk every member route and socket message of a blind rack.
 */
export function expectedLeaks(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => expectedLeaks(v, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const here = `${path}.${k}`;
    if ((EXPECTED_FIELDS as readonly string[]).includes(k) && v !== null && !(Array.isArray(v) && v.length === 0))
      out.push(here);
    out.push(...expectedLeaks(v, here));
  }
  return out;
}
