/**
 * Wire schemas of the racks extensions: conflict resolution and the
 * warehouse admin (floors, racks, expected items). The contract's own rack
 * schemas live in core/protocol.ts.
 */
import { z } from 'zod';
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
