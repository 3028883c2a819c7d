/**
 * The completion summary and live stats of a rack audit, derived from the
 * item records and the lease timing. Pure: the caller passes the instants.
 */
import type { ItemRecord } from './batch.ts';

export interface ExpectedItem {
  item_code: string;
  expected_qty: number;
  /** From a stock import (absent when set by hand). */
  description?: string;
  serials?: string[];
}

/** The audit's timing: paused time is excluded from the rate. */
interface AuditTiming {
  startedAt: number;
  endedAt: number;
  pausedMs: number;
}

export interface AuditStats {
  total_items: number;
  verified_items: number;
  damage_items: number;
  pending_items: number;
  duration_seconds: number;
  items_per_minute: number;
}

export interface ItemVariance {
  item_code: string;
  expected_qty: number;
  scanned_qty: number;
  variance: number;
}

export interface AuditSummary extends AuditStats {
  expected_total: number;
  scanned_total: number;
  /** Expected items never scanned. */
  missing: string[];
  /** Scanned items the rack was not expected to hold. */
  unexpected: string[];
  /** Serial numbers seen on more than one item, with the items. */
  duplicate_serials: Array<{ serial: string; item_codes: string[] }>;
  /** Every expected or scanned item, scanned minus expected. */
  variance: ItemVariance[];
  /** Set on a stored summary whose lists were cut (storedSummary). */
  truncated?: true;
}

/** Counts are per item record: one item code is one item, whatever its quantity. */
export function auditStats(records: ItemRecord[], timing: AuditTiming): AuditStats {
  const workingMs = Math.max(0, timing.endedAt - timing.startedAt - timing.pausedMs);
  const total = records.length;
  return {
    total_items: total,
    verified_items: records.filter((r) => r.status === 'verified' || r.status === 'finalized').length,
    damage_items: records.filter((r) => r.damageQty > 0 || r.status === 'damaged').length,
    pending_items: records.filter((r) => r.status === 'pending').length,
    duration_seconds: Math.round(workingMs / 1000),
    items_per_minute: workingMs > 0 ? Math.round((total / (workingMs / 60_000)) * 100) / 100 : 0,
  };
}

export function auditSummary(expected: ExpectedItem[], records: ItemRecord[], timing: AuditTiming): AuditSummary {
  const scanned = new Map(records.map((r) => [r.itemCode, r.verifiedQty + r.damageQty]));
  const expectedQty = new Map(expected.map((e) => [e.item_code, e.expected_qty]));
  const codes = [...new Set([...expectedQty.keys(), ...scanned.keys()])].sort();
  const bySerial = new Map<string, string[]>();
  for (const r of records) for (const s of r.serialNumbers) bySerial.set(s, [...(bySerial.get(s) ?? []), r.itemCode]);
  return {
    ...auditStats(records, timing),
    expected_total: expected.reduce((n, e) => n + e.expected_qty, 0),
    scanned_total: [...scanned.values()].reduce((n, q) => n + q, 0),
    missing: codes.filter((c) => expectedQty.has(c) && !scanned.has(c)),
    unexpected: codes.filter((c) => !expectedQty.has(c)),
    duplicate_serials: [...bySerial]
      .filter(([, items]) => items.length > 1)
      .map(([serial, item_codes]) => ({ serial, item_codes: item_codes.sort() }))
      .sort((a, b) => (a.serial < b.serial ? -1 : 1)),
    variance: codes.map((c) => {
      const e = expectedQty.get(c) ?? 0;
      const s = scanned.get(c) ?? 0;
      return { item_code: c, expected_qty: e, scanned_qty: s, variance: s - e };
    }),
  };
}

/** How many entries of each list a stored summary keeps (the completion's own answer has them all). */
export const STORED_SUMMARY_LIMITS = { entries: 500, duplicateSerials: 200, itemsPerSerial: 10 } as const;

/**
 * The summary as a session record stores it (the rack's SQLite, the outbox, Postgres): its lists cut to
 * STORED_SUMMARY_LIMITS, with `truncated: true` when anything was cut, so one stored value stays small
 * whatever the audit held. The counts are never cut.
 */
export function storedSummary(s: AuditSummary, limits = STORED_SUMMARY_LIMITS): AuditSummary {
  const n = limits.entries;
  const cut =
    s.missing.length > n ||
    s.unexpected.length > n ||
    s.variance.length > n ||
    s.duplicate_serials.length > limits.duplicateSerials ||
    s.duplicate_serials.some((d) => d.item_codes.length > limits.itemsPerSerial);
  if (!cut) return s;
  return {
    ...s,
    missing: s.missing.slice(0, n),
    unexpected: s.unexpected.slice(0, n),
    duplicate_serials: s.duplicate_serials
      .slice(0, limits.duplicateSerials)
      .map((d) => ({ serial: d.serial, item_codes: d.item_codes.slice(0, limits.itemsPerSerial) })),
    // The items whose count is off come first: they are what a reader looks for.
    variance: [...s.variance.filter((v) => v.variance !== 0), ...s.variance.filter((v) => v.variance === 0)].slice(
      0,
      n,
    ),
    truncated: true,
  };
}
