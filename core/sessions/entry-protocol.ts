/**
 * HTTP bodies and queries of session entries, projects, tasks, the break
 * rule and the report (zod, defined once; the routes and the site use them).
 */
import { z } from 'zod';
import { instantSchema } from '../instant.ts';
import { ENTRY_LIMITS } from './entries.ts';

const id = z.string().min(1).max(64);
const pause = z.strictObject({ pausedAt: instantSchema, resumedAt: instantSchema });
const tag = z.string().max(ENTRY_LIMITS.tagLength * 2);
const entryFields = {
  label: z.string().max(ENTRY_LIMITS.label).nullable().optional(),
  projectId: id.nullable().optional(),
  taskId: id.nullable().optional(),
  tags: z
    .array(tag)
    .max(ENTRY_LIMITS.tagsPerEntry * 2)
    .optional(),
  pauses: z.array(pause).max(ENTRY_LIMITS.pauses).optional(),
};

export const createEntryBody = z.strictObject({ startTime: instantSchema, endTime: instantSchema, ...entryFields });
export const updateEntryBody = z.strictObject({
  baseVersion: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  startTime: instantSchema.optional(),
  endTime: instantSchema.optional(),
  ...entryFields,
});
export type CreateEntryBody = z.infer<typeof createEntryBody>;
export type UpdateEntryBody = z.infer<typeof updateEntryBody>;

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour like #3366cc');
const name = z.string().trim().min(1).max(120);
const client = z.string().trim().max(120).nullable();
export const createProjectBody = z.strictObject({ name, color: color.optional(), client: client.optional() });
export const updateProjectBody = z
  .strictObject({ name: name.optional(), color: color.optional(), client: client.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
const title = z.string().trim().min(1).max(200);
const estimate = z
  .number()
  .int()
  .min(1)
  .max(10_000 * 3_600_000);
export const createTaskBody = z.strictObject({ title, estimateMs: estimate.nullable().optional() });
export const updateTaskBody = z
  .strictObject({ title: title.optional(), estimateMs: estimate.nullable().optional(), done: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });

const ruleStep = z.strictObject({
  afterMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3_600_000),
  minBreakMs: z
    .number()
    .int()
    .min(0)
    .max(12 * 3_600_000),
});
export const breakRuleInput = z.union([
  z.null(),
  z.literal('de-arbzg'),
  z.strictObject({
    steps: z.array(ruleStep).min(1).max(5),
    minPauseMs: z.number().int().min(0).max(3_600_000).optional(),
  }),
]);
export const breakRuleBody = z.strictObject({ breakRule: breakRuleInput });
export type BreakRuleInput = z.infer<typeof breakRuleInput>;

/** An instant in a query string: digits are epoch ms, anything else must be ISO-8601. */
export const instantQuery = z.preprocess(
  (v) => (typeof v === 'string' && /^-?\d{1,20}$/.test(v) ? Number(v) : v),
  instantSchema,
);
