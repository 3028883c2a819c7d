/**
 * The HTTP fuzzer: every route of the contract (routes.ts) gets bodies
 * generated from its zod schema and broken, raw garbage, hostile credentials,
 * another member's ids, hostile path segments and query strings. Every answer
 * must be below 500 and every refusal a 4xx with `{error:{code,message}}`.
 *
 * Hostile phase: everything that writes must be refused, and the whole world
 * (fuzz-world.ts) must be unchanged afterwards. Valid-ish phase: bodies a
 * correct client could send, one at a time; each one refused must leave its
 * object's version where it was. /health answers ok at the end.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { rackStub, sessionStub } from '../../support/stubs.ts';
import { call, roomStub } from '../../support/workers.ts';
import { fromSchema } from './fuzz-arbitraries.ts';
import {
  badIdempotencyKeys,
  garbage,
  hostileCallers,
  hostilePaths,
  hostileQueries,
  legitAuth,
  mutatedBodies,
  otherMember,
  validBody,
} from './fuzz-inputs.ts';
import { type Probe, Tally, fire, hostileTokens, send } from './fuzz-lib.ts';
import { type World, buildWorld, snapshotWorld } from './fuzz-world.ts';
import { ROUTES, type RouteSpec, fillPath } from './routes.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
/** Broken bodies per route with a body, and valid-ish ones per route in the second phase. */
const MUTATED_PER_ROUTE = 1_100;
const VALIDISH_PER_ROUTE = 40;

let world: World;
const tally = new Tally();

beforeAll(async () => {
  world = await buildWorld();
});

describe('hostile HTTP input', () => {
  it('every route refuses broken bodies, garbage, hostile callers, paths and queries with a 4xx, and nothing changes', async () => {
    const before = await snapshotWorld(world);
    const tokens = await hostileTokens(world.owner);
    const started = Date.now();
    for (const [i, r] of ROUTES.entries()) {
      const seed = SEED + i;
      const json = validBody(r, world);
      const generated = r.body ? fc.sample(fromSchema(r.body), { numRuns: 3, seed }) : [undefined];
      // Writes must be refused; reads may answer (extra query parameters, a rack's public status).
      await fire(tally, [...mutatedBodies(r, world, MUTATED_PER_ROUTE, seed), ...garbage(r, world)], true);
      await fire(
        tally,
        [json, ...generated].flatMap((body) => hostileCallers(r, world, tokens, body)),
        true,
      );
      await fire(tally, badIdempotencyKeys(r, world, json), true);
      await fire(tally, otherMember(r, world, json), r.writes);
      await fire(tally, hostilePaths(r, world, json), r.writes);
      await fire(tally, hostileQueries(r, world, 60, seed), r.writes);
      await fire(
        tally,
        [
          {
            label: `${r.name} / PATCH`,
            method: 'PATCH',
            path: fillPath(r.path, world.params),
            headers: legitAuth(r, world),
          },
        ],
        true,
      );
    }
    const after = await snapshotWorld(world);
    console.log(`hostile HTTP: ${tally.summary()} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(tally.failures, tally.failures.join('\n')).toEqual([]);
    expect(after).toEqual(before);
  });
});

/** What a refused request must not have moved: the version (and links, lease, list) of its object. */
async function versionOf(r: RouteSpec, w: World): Promise<unknown> {
  if (r.path.startsWith('/api/rooms/')) {
    const s = await roomStub(w.room.id).snapshot({ userId: w.owner.user.id, token: null });
    return s.ok ? { version: s.value.version, links: (s.value as { links?: unknown }).links } : s;
  }
  if (r.path.startsWith('/api/sessions')) return (await sessionStub(w.owner.user.id).inspect()).version;
  if (r.path.startsWith('/api/rac') || r.path.startsWith('/api/sync')) {
    const { lastToken, lease, items, sessions } = await rackStub(w.rack).inspect();
    return { lastToken, lease, items, sessions };
  }
  if (r.name === 'create room') return (await call('/api/rooms', { auth: w.owner.token })).body.rooms.length;
  return null;
}

describe('valid-ish HTTP input', () => {
  it('bodies a client could send never get a 5xx, and each refusal leaves its object as it was', async () => {
    const started = Date.now();
    const local = new Tally();
    // Destructive routes last, so the others still meet a live room, session and lease.
    const last = (r: RouteSpec) => Number(['delete room', 'warehouse remove rack'].includes(r.name));
    const order = [...ROUTES].sort((a, b) => last(a) - last(b));
    for (const [i, r] of order.entries()) {
      // logout-all would end the world's own sessions (its hostile callers are fuzzed above).
      if (r.ws || r.revokes || r.name === 'signup' || r.name === 'login') continue;
      const bodies = r.body
        ? fc.sample(fromSchema(r.body), { numRuns: VALIDISH_PER_ROUTE, seed: SEED + 1000 + i })
        : [validBody(r, world)];
      for (const json of bodies) {
        const p: Probe = {
          label: `${r.name} / valid-ish`,
          method: r.method,
          path: fillPath(r.path, world.params),
          headers: { ...legitAuth(r, world), ...(json === undefined ? {} : { 'Content-Type': 'application/json' }) },
          ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        };
        const v0 = await versionOf(r, world);
        const o = await send(p);
        local.judge(p, o, false);
        if (o.status >= 400) {
          const v1 = await versionOf(r, world);
          if (JSON.stringify(v1) !== JSON.stringify(v0))
            local.fail(`${p.label}: refused (${o.status}) but changed ${JSON.stringify(v0)} → ${JSON.stringify(v1)}`);
        }
      }
    }
    tally.count(local.total);
    console.log(`valid-ish HTTP: ${local.summary()} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(local.failures, local.failures.join('\n')).toEqual([]);
  });

  it('the Worker is still healthy, and the input count is printed', async () => {
    const health = await call('/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', timestamp: expect.any(Number) } });
    console.log(`fuzz-routes: ${tally.total} HTTP inputs in total (${ROUTES.length} routes)`);
    expect(tally.total).toBeGreaterThan(40_000);
  });
});
