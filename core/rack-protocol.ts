/**
 * Wire schemas of the racks extensions: conflict resolution and the
 * warehouse admin (floors, racks, expected items). The contract's own rack
 * schemas live in core/protocol.ts.
 */
import { z } from 'zod';
import { CONFLICT_CHOICES } from './rack-conflict.ts';

/** Error codes of these routes whose status is not the default 409. */
export const RACK_ERROR_STATUS: Record<string, number> = { conflict_not_found: 404 };

export const conflictIdParam = z.string().min(1).max(128);
export const resolveConflictBody = z.strictObject({ choice: z.enum(CONFLICT_CHOICES) });
export const conflictListQuery = z.strictObject({ all: z.enum(['0', '1']).optional(), token: z.string().max(4096).optional() });
