/**
 * `GET /api/warehouse/export.csv?from=&to=&floor=`: audit results as CSV, one row per audited item (expected,
 * counted, damage, variance, the recount beside the first count, and the decision). Each Rack object keeps its open
 * audits and its last RECENT_AUDITS posted ones; Postgres (rack_audits) has every one.
 */
import type { Context } from 'hono';
import { stockExportQuery } from '../../core/racks/protocol.ts';
import type { Review } from '../../core/racks/review.ts';
import { rackStub, warehouseStub } from '../../durable-objects/platform/stubs.ts';
import type { AppEnv } from '../app-types.ts';
import { csvResponse, toCsv } from '../lib/csv.ts';
import { ApiError } from '../lib/errors.ts';
import { requireAdmin } from '../middleware/auth.ts';
import { readQuery } from '../middleware/validate.ts';

const DAY = 86_400_000;
/** The longest range one export covers. */
const MAX_RANGE_MS = 366 * DAY;
/** At most this many rows in one export. */
export const EXPORT_MAX_ROWS = 100_000;

export const EXPORT_COLUMNS = [
  'audit_id',
  'rack',
  'floor',
  'item_code',
  'description',
  'expected_qty',
  'counted_qty',
  'damage_qty',
  'variance',
  'recount_qty',
  'decision',
  'final_qty',
  'reason',
  'status',
  'counter',
  'completed_at',
  'posted_at',
];

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function rows(r: Review) {
  return r.items.map((i) => [
    r.audit_id,
    r.rack_id,
    r.floor,
    i.item_code,
    i.description,
    i.expected_qty,
    i.counted_qty,
    i.damage_qty,
    i.variance,
    i.recount?.counted_qty ?? null,
    i.decision ?? (i.flagged ? null : 'within_threshold'),
    i.final_qty,
    i.reason,
    r.status,
    r.counter_id,
    iso(r.completed_at),
    iso(r.posted_at),
  ]);
}

export async function exportAudits(c: Context<AppEnv>) {
  requireAdmin(c);
  const q = readQuery(c, stockExportQuery);
  const to = q.to ?? Date.now();
  const from = q.from ?? to - 30 * DAY;
  if (from > to) throw new ApiError('validation_failed', '`from` is after `to`');
  if (to - from > MAX_RANGE_MS) throw new ApiError('validation_failed', 'An export covers at most 366 days');
  const layout = await warehouseStub(c.env).snapshot();
  const racks = layout.racks.filter((r) => !q.floor || r.floorId === q.floor).map((r) => r.rackId);
  const lists = await Promise.all(racks.map((id) => rackStub(c.env, id).auditsBetween(id, from, to)));
  const audits = lists.flat().sort((a, b) => a.completed_at - b.completed_at);
  const out = audits.flatMap(rows);
  if (out.length > EXPORT_MAX_ROWS)
    throw new ApiError('validation_failed', `The range holds more than ${EXPORT_MAX_ROWS} rows: export a shorter one`);
  return csvResponse(`audits-${iso(from)?.slice(0, 10)}-${iso(to)?.slice(0, 10)}.csv`, toCsv(EXPORT_COLUMNS, out));
}
