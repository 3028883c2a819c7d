import { describe, expect, it } from 'vitest';
import {
  LEASE_TTL_MS,
  type LeaseCommand,
  type LeaseResult,
  type LeaseState,
  PAUSE_HOLD_MS,
  leaseActiveMs,
  liveLease,
  makeLeaseState,
  transition,
} from './lease.ts';

const T0 = 1_700_000_000_000;

function ok(r: LeaseResult) {
  if ('rejected' in r) throw new Error(`rejected: ${r.rejected}`);
  return r;
}
function run(state: LeaseState, cmd: LeaseCommand, now: number): LeaseState {
  return ok(transition(state, cmd, now)).state;
}
const claimed = (userId = 'u1', now = T0) =>
  run(makeLeaseState('R1', T0), { type: 'claim', userId, sessionId: 's1' }, now);

describe('claim', () => {
  it('grants a 60 s lease with token 1', () => {
    const r = ok(transition(makeLeaseState('R1', T0), { type: 'claim', userId: 'u1', sessionId: 's1' }, T0));
    expect(r.state.lease).toMatchObject({
      holderId: 'u1',
      sessionId: 's1',
      fencingToken: 1,
      expiresAt: T0 + LEASE_TTL_MS,
      status: 'active',
    });
    expect(r.events.map((e) => e.type)).toEqual(['claimed']);
  });

  it('is idempotent for the holder: same lease, no events', () => {
    const s = claimed();
    const r = ok(transition(s, { type: 'claim', userId: 'u1' }, T0 + 5_000));
    expect(r.state).toBe(s);
    expect(r.events).toEqual([]);
  });

  it('rejects another user with holder and expires_at', () => {
    const r = transition(claimed(), { type: 'claim', userId: 'u2' }, T0 + 1_000);
    expect(r).toMatchObject({ rejected: 'rack_claimed', holder: 'u1', expiresAt: T0 + LEASE_TTL_MS });
  });

  it('lets another user in after expiry, with a new token, and tells the old holder', () => {
    const r = ok(transition(claimed(), { type: 'claim', userId: 'u2' }, T0 + LEASE_TTL_MS));
    expect(r.state.lease).toMatchObject({ holderId: 'u2', fencingToken: 2, sessionId: 'R1:2' });
    expect(r.events.map((e) => e.type)).toEqual(['expired', 'lease-lost', 'claimed']);
    expect(r.events[1]).toMatchObject({ lease: { holderId: 'u1', fencingToken: 1 }, reason: 'expired' });
  });

  it('never reuses a token, even after release', () => {
    let s = claimed();
    s = run(s, { type: 'release', fencingToken: 1 }, T0 + 1);
    s = run(s, { type: 'claim', userId: 'u1' }, T0 + 2);
    expect(s.lease?.fencingToken).toBe(2);
    expect(s.lastToken).toBe(2);
  });
});

describe('heartbeat', () => {
  it('renews to now + 60 s', () => {
    const s = run(claimed(), { type: 'heartbeat', fencingToken: 1 }, T0 + 25_000);
    expect(s.lease?.expiresAt).toBe(T0 + 25_000 + LEASE_TTL_MS);
  });

  it('refuses a wrong token and a token whose lease expired', () => {
    expect(transition(claimed(), { type: 'heartbeat', fencingToken: 7 }, T0 + 1)).toMatchObject({
      rejected: 'stale_fencing_token',
    });
    expect(transition(claimed(), { type: 'heartbeat', fencingToken: 1 }, T0 + LEASE_TTL_MS)).toMatchObject({
      rejected: 'stale_fencing_token',
    });
  });
});

describe('pause and resume', () => {
  it('holds a paused lease for 10 minutes without heartbeats', () => {
    const s = run(claimed(), { type: 'pause', fencingToken: 1 }, T0 + 10_000);
    expect(liveLease(s, T0 + 10_000 + PAUSE_HOLD_MS - 1)).not.toBeNull();
    expect(liveLease(s, T0 + 10_000 + PAUSE_HOLD_MS)).toBeNull();
    const r = ok(transition(s, { type: 'expire' }, T0 + 10_000 + PAUSE_HOLD_MS));
    expect(r.state.lease).toBeNull();
    expect(r.events.map((e) => e.type)).toEqual(['expired', 'lease-lost']);
  });

  it('excludes paused time from working time', () => {
    let s = run(claimed(), { type: 'pause', fencingToken: 1 }, T0 + 10_000);
    s = run(s, { type: 'resume', fencingToken: 1 }, T0 + 130_000);
    expect(s.lease?.pausedMs).toBe(120_000);
    expect(s.lease?.expiresAt).toBe(T0 + 130_000 + LEASE_TTL_MS);
    expect(leaseActiveMs(s.lease!, T0 + 150_000)).toBe(30_000);
  });

  it('rejects pausing twice and resuming an active lease', () => {
    const p = run(claimed(), { type: 'pause', fencingToken: 1 }, T0 + 1);
    expect(transition(p, { type: 'pause', fencingToken: 1 }, T0 + 2)).toMatchObject({ rejected: 'not_active' });
    expect(transition(claimed(), { type: 'resume', fencingToken: 1 }, T0 + 2)).toMatchObject({
      rejected: 'not_paused',
    });
  });
});

describe('release, expire, force-release', () => {
  it('release needs the current token', () => {
    expect(transition(claimed(), { type: 'release', fencingToken: 0 }, T0 + 1)).toMatchObject({
      rejected: 'stale_fencing_token',
    });
    const r = ok(transition(claimed(), { type: 'release', fencingToken: 1 }, T0 + 1));
    expect(r.state.lease).toBeNull();
    expect(r.events.map((e) => e.type)).toEqual(['released']);
  });

  it('expire before the expiry changes nothing', () => {
    const s = claimed();
    expect(ok(transition(s, { type: 'expire' }, T0 + LEASE_TTL_MS - 1))).toEqual({ state: s, events: [] });
  });

  it('force-release ends any lease, journals the reason and tells the holder', () => {
    const r = ok(transition(claimed(), { type: 'force-release', reason: 'stuck device', by: 'admin1' }, T0 + 5));
    expect(r.state.lease).toBeNull();
    expect(r.events[0]).toMatchObject({ type: 'force-released', reason: 'stuck device', by: 'admin1' });
    expect(r.events[1]).toMatchObject({ type: 'lease-lost', reason: 'force-released', lease: { holderId: 'u1' } });
    expect(transition(r.state, { type: 'force-release', reason: 'x' }, T0 + 6)).toMatchObject({ rejected: 'no_lease' });
  });
});
