/**
 * Personal API tokens: list, create (the secret is in this answer only), revoke. Login tokens only (the scope
 * guard refuses API tokens here): a token can never mint or revoke tokens.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_API_TOKENS, SCOPES, TOKEN_NAME_MAX } from '../../durable-objects/accounts/pat.ts';
import { forgetPat } from '../../durable-objects/accounts/pat-check.ts';
import { forgetSession } from '../../durable-objects/accounts/session-check.ts';
import { accountStub } from '../../durable-objects/platform/stubs.ts';
import type { AppEnv } from '../app-types.ts';
import { unwrap } from '../lib/answer.ts';
import { ApiError } from '../lib/errors.ts';
import { requireUser } from '../middleware/auth.ts';
import { readJson } from '../middleware/validate.ts';

const scope = z.enum(SCOPES, { error: `Unknown scope; allowed: ${SCOPES.join(', ')}` });
/** The body of POST /api/tokens (exported for the route catalogue the fuzzer walks). */
export const createTokenBody = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'Give the token a name')
    .max(TOKEN_NAME_MAX, `Names are at most ${TOKEN_NAME_MAX} characters`),
  scopes: z
    .array(scope)
    .min(1, `Choose at least one scope: ${SCOPES.join(', ')}`)
    .max(SCOPES.length)
    .refine((s) => new Set(s).size === s.length, 'Each scope at most once'),
});
const tokenId = z.string().regex(/^[0-9a-f]{16}$/);

export const tokenRoutes = new Hono<AppEnv>()
  .get('/tokens', async (c) => {
    const user = requireUser(c);
    const tokens = await accountStub(c.env, user.email).listApiTokens();
    return c.json({ tokens, limit: MAX_API_TOKENS });
  })
  .post('/tokens', async (c) => {
    const user = requireUser(c);
    const body = await readJson(c, createTokenBody);
    const created = unwrap(await accountStub(c.env, user.email).createApiToken(body));
    // The token's id joins the account's live list: this isolate must not answer from the older list.
    forgetSession(user.email);
    c.header('Cache-Control', 'no-store');
    return c.json(created, 201);
  })
  .delete('/tokens/:id', async (c) => {
    const user = requireUser(c);
    const parsed = tokenId.safeParse(c.req.param('id'));
    if (!parsed.success) throw new ApiError('not_found', 'No such API token');
    unwrap(await accountStub(c.env, user.email).revokeApiToken(parsed.data));
    forgetPat(parsed.data);
    forgetSession(user.email);
    return c.body(null, 204);
  });
