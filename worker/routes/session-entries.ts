/**
 * Session entries: manual entries, edits, deletes with a minute's undo, the
 * audit trail, and the break rule. Always the caller's own UserSession object
 * (admins may read another user's trail). Every answer comes from the object.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { breakRuleBody, createEntryBody, updateEntryBody } from '../../core/sessions/entry-protocol.ts';
import { LIMITS, emptyBody } from '../../core/protocol.ts';
import type { EntryAnswer, EntryView } from '../../durable-objects/sessions/entry-desk.ts';
import { historyItem } from '../../core/sessions/history.ts';
import { readEntries, writeEntries } from '../lib/entry-calls.ts';
import type { AppEnv } from '../app-types.ts';
import { unwrap } from '../lib/answer.ts';
import { ApiError } from '../lib/errors.ts';
import { readableUser, tokenParam, userIdParam } from '../lib/readable-user.ts';
import { requireUser } from '../middleware/auth.ts';
import { check, readJson, readQuery } from '../middleware/validate.ts';

/** Mounted after the session routes, so `/sessions/current`, `/sessions/settings` and the rest are theirs. */
const ID = ':id';
const entryId = z.string().min(1).max(64);
const idOf = (c: Context<AppEnv>): string => check(entryId, c.req.param('id'));
const ownerQuery = z.strictObject({ userId: userIdParam.optional(), token: tokenParam });
const deleteQuery = z.strictObject({
  baseVersion: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  token: tokenParam,
});

/** An entry as answers show it: the history item, plus `deletedAt`. */
const item = (userId: string, e: EntryView) => ({ ...historyItem(userId, e), deletedAt: e.deletedAt });

/** An entry answer as HTTP: a stale version carries the current entry in `details.current`. */
function entryValue<T extends { entry: EntryView }>(userId: string, a: EntryAnswer<T>) {
  if (!a.ok) throw new ApiError(a.code, a.message, a.current ? { current: item(userId, a.current) } : a.details);
  return { ...a.value, entry: item(userId, a.value.entry) };
}

/** The Idempotency-Key header, checked as on the session commands. */
function idempotencyKey(c: Context<AppEnv>): string | null {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined) return null;
  if (key.length === 0 || key.length > LIMITS.idempotencyKey)
    throw new ApiError('validation_failed', `Idempotency-Key must be 1–${LIMITS.idempotencyKey} characters`);
  return key;
}

const own = (c: Context<AppEnv>) => ({ userId: requireUser(c).id });

export const sessionEntryRoutes = new Hono<AppEnv>()
  // Before `/sessions/:id`, which would otherwise take them.
  .get('/sessions/break-rule', async (c) => {
    const userId = readableUser(c, readQuery(c, ownerQuery).userId);
    return c.json(await readEntries(c.env, userId, 'breakRule', {}));
  })
  .put('/sessions/break-rule', async (c) => {
    const { userId } = own(c);
    const body = await readJson(c, breakRuleBody);
    return c.json(unwrap(await writeEntries(c.env, userId, 'setBreakRule', body)));
  })
  .post('/sessions/entries', async (c) => {
    const { userId } = own(c);
    const body = await readJson(c, createEntryBody);
    const key = idempotencyKey(c);
    const answer = await writeEntries(c.env, userId, 'create', { body, key: key ? `${userId}:entry:${key}` : null });
    return c.json(entryValue(userId, answer), 201);
  })
  .put(`/sessions/${ID}`, async (c) => {
    const { userId } = own(c);
    const body = await readJson(c, updateEntryBody);
    return c.json(entryValue(userId, await writeEntries(c.env, userId, 'update', { id: idOf(c), body })));
  })
  .delete(`/sessions/${ID}`, async (c) => {
    const { userId } = own(c);
    const q = readQuery(c, deleteQuery);
    await readJson(c, emptyBody);
    const answer = await writeEntries(c.env, userId, 'remove', {
      id: idOf(c),
      baseVersion: q.baseVersion ?? null,
    });
    return c.json(entryValue(userId, answer));
  })
  .post(`/sessions/${ID}/restore`, async (c) => {
    const { userId } = own(c);
    // Restoring is idempotent by itself (a second restore meets not_deleted); the key is only checked.
    idempotencyKey(c);
    await readJson(c, emptyBody);
    return c.json(entryValue(userId, await writeEntries(c.env, userId, 'restore', { id: idOf(c) })));
  })
  .get(`/sessions/${ID}/trail`, async (c) => {
    const userId = readableUser(c, readQuery(c, ownerQuery).userId);
    return c.json(unwrap(await readEntries(c.env, userId, 'trail', { id: idOf(c) })));
  });
