import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LeaseCommand, type LeaseState, liveLease, makeLeaseState, transition } from './lease.ts';

const PROPERTY_TIMEOUT = 30_000;
const T0 = 1_700_000_000_000;
const USERS = ['u1', 'u2', 'u3', 'u4'];

/** A command from one of several users; token commands pick a token near the ones granted so far. */
type Step = {
  user: number;
  kind: 'claim' | 'heartbeat' | 'pause' | 'resume' | 'release' | 'expire' | 'force';
  tokenDelta: number;
  dt: number;
};
const step: fc.Arbitrary<Step> = fc.record({
  user: fc.integer({ min: 0, max: USERS.length - 1 }),
  kind: fc.constantFrom('claim', 'claim', 'heartbeat', 'heartbeat', 'pause', 'resume', 'release', 'expire', 'force'),
  tokenDelta: fc.integer({ min: -2, max: 1 }),
  dt: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 40_000 }),
    fc.integer({ min: 40_000, max: 700_000 }),
    fc.integer({ min: -5_000, max: -1 }),
  ),
});

describe('lease properties', () => {
  it(
    'at most one unexpired lease, tokens strictly increase, a stale token is never accepted',
    () => {
      fc.assert(
        fc.property(fc.array(step, { minLength: 1, maxLength: 120 }), (steps) => {
          let state: LeaseState = makeLeaseState('R', T0);
          let now = T0;
          /** What each user last heard was its token (a stale client keeps using it). */
          const held = new Map<string, number>();
          const granted: number[] = [];
          for (const s of steps) {
            now += s.dt;
            const user = USERS[s.user]!;
            const token = (held.get(user) ?? state.lastToken) + s.tokenDelta;
            const cmd: LeaseCommand =
              s.kind === 'claim'
                ? { type: 'claim', userId: user }
                : s.kind === 'expire'
                  ? { type: 'expire' }
                  : s.kind === 'force'
                    ? { type: 'force-release', reason: 'test' }
                    : { type: s.kind, fencingToken: token };
            const before = state;
            const t = Math.max(now, before.changedAt);
            const current = liveLease(before, t);
            const r = transition(before, cmd, now);
            if ('rejected' in r) {
              if (r.rejected === 'rack_claimed') expect(current && current.holderId !== user).toBeTruthy();
              continue;
            }
            // A token command is accepted only with the token of the lease live at that instant.
            if ('fencingToken' in cmd) expect(current?.fencingToken).toBe(cmd.fencingToken);
            state = r.state;
            for (const e of r.events) {
              if (e.type === 'claimed') {
                if (granted.length) expect(e.lease.fencingToken).toBeGreaterThan(granted.at(-1)!);
                granted.push(e.lease.fencingToken);
                held.set(e.lease.holderId, e.lease.fencingToken);
              }
            }
            // One lease at a time: a different holder only once the previous lease ended.
            if (current && state.lease && state.lease.holderId !== current.holderId) throw new Error('two holders');
            expect(state.lastToken).toBeGreaterThanOrEqual(before.lastToken);
            expect(state.version).toBe(before.version + r.events.length);
            if (state.lease) expect(state.lease.fencingToken).toBe(state.lastToken);
          }
          expect(new Set(granted).size).toBe(granted.length);
        }),
        { numRuns: 400 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
