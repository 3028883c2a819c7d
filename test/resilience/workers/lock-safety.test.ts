/**
 * Lock safety at scale: 1,000 trials of 50 concurrent claimers on random
 * racks, with random heartbeats, pauses, resumes, syncs, releases,
 * completions and expiries (short leases, alarms run by the runtime and by
 * hand), through the Rack object's RPCs. Asserted throughout:
 * - no double grant: every fencing token names one holder, tokens rise with
 *   every grant, and the sessions of consecutive tokens never overlap in time;
 * - no stale write accepted: a heartbeat, pause, resume, release, complete or
 *   sync carrying a token already known dead (or another user's, or a forged
 *   one) is refused with stale_fencing_token, and its records are never stored
 *   (re-sent at the end under a fresh lease, they are new, not duplicates).
 * Trials run in lanes of 3 racks each, the lanes in parallel.
 */
import { runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ScanRecordInput } from '../../../core/racks/batch.ts';
import type { Answer } from '../../../core/errors.ts';
import { scanRecord } from '../../support/builders.ts';
import { freshRack } from '../../support/racks.ts';
import { rackStub } from '../../support/stubs.ts';
import { sleep } from '../../support/workers.ts';

const TRIALS = 1_000;
const CLAIMERS = 50;
const LANES = 7;
const TTL_MS = 150;
const PAUSE_HOLD_MS = 300;
/** Racks the lanes use (F10–F12 belong to the alarm-retry test). */
const RACKS = [
  ...Array.from({ length: 12 }, (_, i) => `G${String(i + 1).padStart(2, '0')}`),
  ...Array.from({ length: 9 }, (_, i) => `F0${i + 1}`),
];

type Op = 'heartbeat' | 'pause' | 'resume' | 'release' | 'complete' | 'sync';
interface Grant {
  rackId: string;
  userId: string;
  sessionId: string;
  token: number;
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
let recSeq = 0;
/** The record with id `id`; its item code is its id, so a re-send can only be "accepted" (new) or "duplicate". */
const recordWithId = (id: string): ScanRecordInput =>
  scanRecord({ client_record_id: id, item_code: id, verified_qty: 1 });
const record = (tag: string): ScanRecordInput =>
  recordWithId(`${tag}-${(recSeq++).toString(36)}-${crypto.randomUUID().slice(0, 8)}`);

/** Everything the test saw on one rack. */
class RackLog {
  /** token → the one holder it was granted to, and the session id it came with. */
  readonly holders = new Map<number, string>();
  readonly sessionIds = new Map<number, string>();
  /** The highest token seen granted, and the tokens known dead (a later grant, or our own release/complete answered). */
  maxToken = 0;
  readonly ended = new Set<number>();
  lastToken = 0;
  grants: Grant[] = [];
  staleRecordIds: string[] = [];
  validRecordIds: string[] = [];
  checked = 0;
  /** The last ended session checked, to compare with the next one. */
  prevSession: { fencing_token: number; started_at: number; ended_at: number | null } | null = null;
  constructor(readonly rackId: string) {}

  isDead(token: number): boolean {
    return token < this.maxToken || this.ended.has(token);
  }

  granted(g: Grant): void {
    const before = this.holders.get(g.token);
    // A token is granted to one holder only (the holder's re-claim returns the same lease).
    expect(
      before === undefined || before === g.userId,
      `token ${g.token} on ${g.rackId} granted to ${before} and ${g.userId}`,
    ).toBe(true);
    if (before === undefined) {
      this.holders.set(g.token, g.userId);
      this.sessionIds.set(g.token, g.sessionId);
      this.grants.push(g);
    }
    this.maxToken = Math.max(this.maxToken, g.token);
  }
}

async function command(g: Grant, op: Op, records: ScanRecordInput[] = []): Promise<Answer<unknown>> {
  const rack = rackStub(g.rackId);
  if (op === 'sync') return rack.sync(g.rackId, g.userId, g.sessionId, g.token, records);
  if (op === 'complete') return rack.complete(g.rackId, g.userId, g.sessionId, g.token);
  return rack.command(g.rackId, g.userId, op, g.sessionId, g.token);
}

const LEGIT_REFUSALS = ['stale_fencing_token', 'not_active', 'not_paused'];

/** The holder works its lease: random commands, pauses and waits long enough to expire. */
async function holderWorks(log: RackLog, g: Grant, stats: Stats): Promise<void> {
  const steps = 1 + Math.floor(Math.random() * 3);
  for (let i = 0; i < steps; i++) {
    const r = Math.random();
    if (r < 0.15) {
      await sleep(TTL_MS + 10 + Math.random() * 40); // past the lease: it may expire
      if (Math.random() < 0.5) await runDurableObjectAlarm(rackStub(g.rackId));
      stats.waits++;
      continue;
    }
    const op: Op =
      r < 0.4
        ? 'heartbeat'
        : r < 0.55
          ? 'sync'
          : r < 0.68
            ? 'pause'
            : r < 0.78
              ? 'resume'
              : r < 0.92
                ? 'release'
                : 'complete';
    const deadAtSend = log.isDead(g.token);
    const records = op === 'sync' ? [record(`v-${g.rackId}`)] : [];
    const a = await command(g, op, records);
    stats.ops++;
    if (a.ok) {
      // Accepted: the token must not have been known dead when the command was sent.
      expect(deadAtSend, `${op} accepted on ${g.rackId} with dead token ${g.token}`).toBe(false);
      if (op === 'release' || op === 'complete') log.ended.add(g.token);
      if (op === 'sync') {
        const accepted = (a.value as { accepted: string[] }).accepted;
        expect(accepted).toEqual(records.map((x) => x.client_record_id));
        log.validRecordIds.push(...accepted);
      }
      if (op === 'release' || op === 'complete') return;
    } else {
      expect(LEGIT_REFUSALS, `${op} on ${g.rackId}: ${a.code} ${a.message}`).toContain(a.code);
      if (a.code === 'stale_fencing_token') return; // the lease expired under us
    }
  }
}

/** Someone with a dead, foreign or forged token tries every kind of write: all refused, nothing stored. */
async function staleWrites(log: RackLog, current: Grant | null, stats: Stats): Promise<void> {
  const dead = log.grants.filter((g) => log.isDead(g.token));
  const attempts: Grant[] = [];
  for (let i = 0; i < 2 && dead.length > 0; i++) attempts.push(pick(dead));
  if (current) {
    attempts.push({ ...current, userId: `intruder-${crypto.randomUUID().slice(0, 8)}` });
    attempts.push({ ...current, token: current.token + 1 + Math.floor(Math.random() * 1000) });
    if (current.token > 1) attempts.push({ ...current, token: current.token - 1 });
  }
  await Promise.all(
    attempts.map(async (g) => {
      // Forged tokens above the highest grant are dead by definition; a real holder's token only once known dead.
      const knownBad = log.isDead(g.token) || g.token > log.maxToken || log.holders.get(g.token) !== g.userId;
      if (!knownBad) return;
      const op = pick<Op>(['heartbeat', 'pause', 'resume', 'release', 'complete', 'sync', 'sync']);
      const records = op === 'sync' ? [record(`s-${g.rackId}`), record(`s-${g.rackId}`)] : [];
      if (op === 'sync') log.staleRecordIds.push(...records.map((r) => r.client_record_id));
      const a = await command(g, op, records);
      stats.stale++;
      expect(a, `${op} with a stale token on ${g.rackId} (token ${g.token}, user ${g.userId})`).toMatchObject({
        ok: false,
        code: 'stale_fencing_token',
      });
    }),
  );
}

/** The sessions of every token granted since the last check never overlap, and each names the holder we saw. */
async function checkSessions(log: RackLog): Promise<void> {
  const state = await rackStub(log.rackId).inspect();
  expect(state.lastToken, `lastToken of ${log.rackId} went backwards`).toBeGreaterThanOrEqual(log.lastToken);
  expect(state.lastToken).toBeGreaterThanOrEqual(log.maxToken);
  const from = log.checked;
  log.lastToken = state.lastToken;
  const sessions: Array<{ fencing_token: number; started_at: number; ended_at: number | null }> = log.prevSession
    ? [log.prevSession]
    : [];
  for (let t = from + 1; t <= state.lastToken; t++) {
    // Grants we did not see (another test's) are looked up by the documented default id, `<rack>:<token>`.
    const s = await rackStub(log.rackId).session(log.rackId, log.sessionIds.get(t) ?? `${log.rackId}:${t}`);
    const holder = log.holders.get(t);
    if (holder !== undefined) {
      expect(s, `session of token ${t} on ${log.rackId}`).not.toBeNull();
      expect(s).toMatchObject({ user_id: holder, fencing_token: t });
    }
    if (s) sessions.push(s);
  }
  for (let i = 1; i < sessions.length; i++) {
    const prev = sessions[i - 1]!;
    const next = sessions[i]!;
    expect(next.fencing_token).toBeGreaterThan(prev.fencing_token);
    expect(
      prev.ended_at,
      `token ${prev.fencing_token} on ${log.rackId} still open when ${next.fencing_token} was granted`,
    ).not.toBeNull();
    expect(
      next.started_at,
      `tokens ${prev.fencing_token} and ${next.fencing_token} on ${log.rackId} overlap`,
    ).toBeGreaterThanOrEqual(prev.ended_at as number);
  }
  // At most one live lease: the stored one, and it is the highest token.
  if (state.lease) expect(state.lease.fencingToken).toBe(state.lastToken);
  const last = sessions[sessions.length - 1];
  const open = last !== undefined && last.ended_at === null;
  log.checked = open ? state.lastToken - 1 : state.lastToken;
  log.prevSession = (open ? sessions[sessions.length - 2] : last) ?? log.prevSession;
}

interface Stats {
  claims: number;
  grants: number;
  ops: number;
  stale: number;
  waits: number;
}

async function trial(n: number, logs: RackLog[], stats: Stats): Promise<void> {
  // 50 claimers at once; some are earlier holders (a re-claim is idempotent).
  const earlier = logs.flatMap((l) => l.grants.slice(-2).map((g) => g.userId));
  const claimers = Array.from({ length: CLAIMERS }, (_, i) =>
    i < 3 && earlier.length > 0 ? pick(earlier) : `t${n}-c${i}`,
  ).map((u) => ({ userId: u, log: pick(logs) }));
  const answers = await Promise.all(
    claimers.map(async (c) => ({ ...c, a: await rackStub(c.log.rackId).claim(c.log.rackId, c.userId) })),
  );
  stats.claims += answers.length;
  const winners = new Map<RackLog, Grant>();
  for (const { userId, log, a } of answers) {
    if (a.ok) {
      const g = { rackId: log.rackId, userId, sessionId: a.value.session_id, token: a.value.fencing_token };
      log.granted(g);
      const w = winners.get(log);
      if (!w || g.token > w.token) winners.set(log, g);
    } else
      expect(a, JSON.stringify(a)).toMatchObject({
        code: 'rack_claimed',
        details: { holder: expect.any(String), expires_at: expect.any(Number) },
      });
  }
  stats.grants += [...winners.values()].length;
  await Promise.all(
    logs.map((log) =>
      Promise.all([
        winners.get(log) ? holderWorks(log, winners.get(log) as Grant, stats) : null,
        staleWrites(log, winners.get(log) ?? null, stats),
      ]),
    ),
  );
  if (n % 5 === 0) await Promise.all(logs.map(checkSessions));
}

/** Under a fresh lease, stale records re-sent are new (never stored before); valid ones are duplicates. */
async function checkStaleNeverStored(log: RackLog): Promise<void> {
  await freshRack(log.rackId, { ttlMs: 60_000, pauseHoldMs: 600_000 });
  const c = await rackStub(log.rackId).claim(log.rackId, `verifier-${log.rackId}`);
  if (!c.ok) throw new Error(`verifier claim: ${JSON.stringify(c)}`);
  const g = {
    rackId: log.rackId,
    userId: `verifier-${log.rackId}`,
    sessionId: c.value.session_id,
    token: c.value.fencing_token,
  };
  const resend = async (ids: string[]) => {
    const out = { accepted: [] as string[], duplicates: [] as string[] };
    for (let i = 0; i < ids.length; i += 100) {
      const a = await command(g, 'sync', ids.slice(i, i + 100).map(recordWithId));
      if (!a.ok) throw new Error(`verifier sync: ${a.code}`);
      const v = a.value as { accepted: string[]; duplicates: string[] };
      out.accepted.push(...v.accepted);
      out.duplicates.push(...v.duplicates);
    }
    return out;
  };
  const stale = await resend(log.staleRecordIds);
  expect(stale.duplicates, `stale-token records stored on ${log.rackId}`).toEqual([]);
  expect(stale.accepted).toHaveLength(log.staleRecordIds.length);
  const valid = await resend(log.validRecordIds);
  expect(valid.duplicates).toHaveLength(log.validRecordIds.length);
  await rackStub(log.rackId).command(log.rackId, g.userId, 'release', g.sessionId, g.token);
}

describe('lock safety at scale', () => {
  it(`${TRIALS} trials of ${CLAIMERS} concurrent claimers: no double grant, no stale write accepted`, async () => {
    const started = Date.now();
    const lanes = Array.from({ length: LANES }, (_, i) => RACKS.slice(i * 3, i * 3 + 3).map((id) => new RackLog(id)));
    await Promise.all(RACKS.map((id) => freshRack(id, { ttlMs: TTL_MS, pauseHoldMs: PAUSE_HOLD_MS })));
    for (const lane of lanes)
      for (const log of lane)
        log.lastToken = log.checked = log.maxToken = (await rackStub(log.rackId).inspect()).lastToken;
    const stats: Stats = { claims: 0, grants: 0, ops: 0, stale: 0, waits: 0 };
    let next = 0;
    await Promise.all(
      lanes.map(async (logs) => {
        for (let n = next++; n < TRIALS; n = next++) await trial(n, logs, stats);
        // Let every lease lapse, then check the tail of the session history.
        await sleep(PAUSE_HOLD_MS + 20);
        await Promise.all(logs.map(checkSessions));
      }),
    );
    for (const log of lanes.flat()) await checkStaleNeverStored(log);
    const logs = lanes.flat();
    const staleRecords = logs.reduce((n, l) => n + l.staleRecordIds.length, 0);
    console.info(
      `lock safety: ${TRIALS} trials, ${stats.claims} claims, ${stats.grants} trial winners, ${logs.reduce((n, l) => n + l.holders.size, 0)} distinct grants, ` +
        `${stats.ops} holder commands, ${stats.waits} waits past expiry, ${stats.stale} stale writes refused (${staleRecords} records, none stored), ${Date.now() - started} ms`,
    );
    // The run really exercised contention, grants, stale writes and expiries.
    expect(stats.claims).toBe(TRIALS * CLAIMERS);
    expect(stats.grants).toBeGreaterThan(TRIALS);
    expect(stats.stale).toBeGreaterThan(TRIALS);
    expect(staleRecords).toBeGreaterThan(100);
    expect(stats.waits).toBeGreaterThan(TRIALS / 10);
  });
});
