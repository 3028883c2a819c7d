/**
 * Wire schemas of the racks extensions: conflict resolution and the
 * warehouse admin (floors, racks, expected items). The contract's own rack
 * schemas live in core/protocol.ts.
 */
import { z } from 'zod';
import { instantSchema } from '../instant.ts';
import { CONFLICT_CHOICES } from './conflict.ts';
import { MAX_EXPECTED_ITEMS } from './warehouse.ts';

export const conflictIdParam = z.string().min(1).max(128);
export const resolveConflictBody = z.strictObject({ choice: z.enum(CONFLICT_CHOICES) });
/** A page of conflicts holds this many unless `?limit=` says otherwise (at most CONFLICT_PAGE_MAX). */
export const CONFLICT_PAGE_DEFAULT = 100;
export const CONFLICT_PAGE_MAX = 500;
export const conflictListQuery = z.strictObject({
  all: z.enum(['0', '1']).optional(),
  token: z.string().max(4096).optional(),
  limit: z.coerce.number().int().min(1).max(CONFLICT_PAGE_MAX).optional(),
  /** The `nextCursor` of the page before (opaque). */
  cursor: z.string().max(1024).optional(),
});

// ── Warehouse admin ──────────────────────────────────────────────────────
const floorId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes');
const rackId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, dashes and underscores');
const displayName = z.string().trim().min(1).max(80);
const expectedItems = z
  .array(
    z.strictObject({
      item_code: z.string().trim().min(1).max(128),
      expected_qty: z.number().int().min(0).max(1_000_000),
    }),
  )
  .max(MAX_EXPECTED_ITEMS);

export const floorIdParam = floorId;
export const createFloorBody = z.strictObject({ id: floorId, name: displayName });
export const renameFloorBody = z.strictObject({ name: displayName });
export const addRackBody = z.strictObject({ rack_id: rackId, expected: expectedItems.optional() });
export const setExpectedBody = z.strictObject({ items: expectedItems });

/** What a client may send on a rack socket or a floor board socket (both read-only feeds). */
export const rackSocketMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ping'), t0: z.number().finite() }),
  z.strictObject({ type: z.literal('request-sync') }),
]);
export type RackSocketMessage = z.infer<typeof rackSocketMessage>;

// ── Reviews, blind counts, hand-off, import (issue 15) ─────────────────────
const userIdSchema = z.string().trim().min(1).max(64);
const reasonSchema = z.string().trim().min(1).max(500);
const threshold = {
  qty: z.number().int().min(0).max(1_000_000).nullable().optional(),
  pct: z.number().min(0).max(10_000).nullable().optional(),
};
/** Per-item thresholds on one floor: at most this many item codes. */
export const MAX_ITEM_THRESHOLDS = 2000;

export const setFloorBody = z
  .strictObject({ name: displayName.optional(), blind: z.boolean().optional() })
  .refine((b) => b.name !== undefined || b.blind !== undefined, 'Send name, blind or both');
export const setRackBlindBody = z.strictObject({ blind: z.boolean().nullable() });
export const reviewThresholdsBody = z.strictObject({
  ...threshold,
  items: z
    .record(z.string().trim().min(1).max(128), z.strictObject(threshold).nullable())
    .refine((r) => Object.keys(r).length <= MAX_ITEM_THRESHOLDS, `At most ${MAX_ITEM_THRESHOLDS} item thresholds`)
    .optional(),
});
export const auditIdParam = z
  .string()
  .max(96)
  .regex(/^[A-Za-z0-9_-]{1,64}:\d{1,16}$/, 'an audit id is <rack>:<token>');
export const itemCodeParam = z.string().min(1).max(128);
export const reviewDecisionBody = z.strictObject({
  decision: z.enum(['accept', 'recount', 'override']),
  qty: z.number().int().min(0).max(1_000_000).optional(),
  reason: reasonSchema.optional(),
  assignee: userIdSchema.optional(),
});
export const reviewListQuery = z.strictObject({
  floor: floorId,
  status: z.enum(['open', 'all']).optional(),
  token: z.string().max(4096).optional(),
});
export const handoffBody = z.strictObject({ to_user_id: userIdSchema, reason: reasonSchema });
export const breakBody = z.strictObject({ reason: reasonSchema });
export const stockImportQuery = z.strictObject({
  mode: z.enum(['replace', 'merge']).optional(),
  dryRun: z.enum(['1', '0', 'true', 'false']).optional(),
});
/** An instant in a query string: digits are epoch ms, anything else must be ISO-8601. */
const instantQuery = z.preprocess(
  (v) => (typeof v === 'string' && /^-?\d{1,20}$/.test(v) ? Number(v) : v),
  instantSchema,
);
export const stockExportQuery = z.strictObject({
  from: instantQuery.optional(),
  to: instantQuery.optional(),
  floor: floorId.optional(),
  token: z.string().max(4096).optional(),
});
