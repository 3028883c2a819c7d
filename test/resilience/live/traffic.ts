/**
 * Continuous traffic for the outage test, one driver per user: live-session
 * cycles (start, pause, resume, stop) and rack audits (claim, batch syncs,
 * complete). Every write carries an Idempotency-Key and is retried with the
 * same key when its answer is lost, so each one has exactly one recorded
 * outcome; 5xx and unexpected 4xx answers are recorded for the test to judge.
 */
import { randomUUID } from 'node:crypto';
import { racksOf } from '../../../durable-objects/racks/seed.ts';
import { scanRecord } from '../../support/builders.ts';
import { sleep } from '../../support/live/wrangler.ts';
import { scaled } from '../../support/time-scale.ts';
import type { Wire } from './retrying.ts';

/** Runs `cycle()` over and over, with a pause between, until stopped. */
export abstract class Driver {
  private stopped = false;
  private running: Promise<void> | null = null;
  constructor(readonly wire: Wire) {}

  start(): void {
    this.stopped = false;
    this.running ??= this.loop();
  }

  /** Stops once the cycle in progress has finished (so nothing is left half-done). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      await this.cycle();
      await sleep(this.pauseMs());
    }
  }

  protected abstract cycle(): Promise<void>;

  /** The pause between two cycles. */
  protected pauseMs(): number {
    return 200 + 400 * Math.random();
  }
}

/** A user's live sessions: start → pause → resume → stop, over and over. */
export class SessionDriver extends Driver {
  /** Sessions whose start and stop were acknowledged, with the versions of their four commands. */
  readonly completed: Array<{ id: string; label: string; versions: number[] }> = [];
  /** Acknowledged commands in all. */
  acked = 0;

  constructor(
    wire: Wire,
    readonly userId: string,
  ) {
    super(wire);
  }

  protected async cycle(): Promise<void> {
    const label = `outage-${randomUUID().slice(0, 8)}`;
    const started = await this.wire.send<{ id: string; version: number }>('POST', '/api/sessions/start', { label });
    if (!started) return;
    const versions = [started.json.version];
    this.acked++;
    for (const step of ['pause', 'resume', 'stop'] as const) {
      await sleep(100 + 200 * Math.random());
      const r = await this.wire.send<{ id: string; version: number; status: string }>('POST', `/api/sessions/${step}`);
      if (!r) return;
      this.acked++;
      versions.push(r.json.version);
      if (step === 'stop') this.completed.push({ id: r.json.id, label, versions });
    }
  }
}

/** A user auditing one rack: claim, three batch syncs of five records, complete; over and over. */
export class RackDriver extends Driver {
  readonly completed: Array<{ sessionId: string; records: string[]; batches: number }> = [];
  claims = 0;
  private readonly items: string[];

  constructor(
    wire: Wire,
    readonly userId: string,
    readonly rackId: string,
    readonly floor: string,
  ) {
    super(wire);
    this.items = racksOf(floor)
      .find((r) => r.rackId === rackId)!
      .expected.map((e) => e.item_code);
  }

  protected async cycle(): Promise<void> {
    const claim = await this.wire.send<{ session_id: string; fencing_token: number }>(
      'POST',
      `/api/racks/${this.rackId}/claim`,
      { floor: this.floor },
    );
    if (!claim) return;
    this.claims++;
    const { session_id, fencing_token } = claim.json;
    const records: string[] = [];
    let batches = 0;
    for (let b = 0; b < 3; b++) {
      const batch = Array.from({ length: 5 }, (_, j) =>
        scanRecord({
          client_record_id: `${session_id}-${b}-${j}-${randomUUID().slice(0, 6)}`,
          item_code: this.items[(b * 5 + j) % this.items.length]!,
          verified_qty: 1,
        }),
      );
      const r = await this.wire.send<{
        accepted: string[];
        duplicates: string[];
        conflicts: unknown[];
        rejected: unknown[];
      }>('POST', '/api/sync/batch', { session_id, fencing_token, records: batch });
      if (!r) return;
      // A retried batch finds its records already merged: they count as acknowledged too.
      const acked = [...r.json.accepted, ...(r.attempts > 1 ? r.json.duplicates : [])];
      if (acked.length !== batch.length || r.json.conflicts.length || r.json.rejected.length) {
        this.wire.refused.push({
          route: '/api/sync/batch',
          status: 200,
          body: JSON.stringify(r.json).slice(0, 300),
          at: Date.now(),
        });
      }
      records.push(...acked);
      batches++;
      await sleep(100 + 200 * Math.random());
    }
    const done = await this.wire.send<{ session_id: string }>(
      'POST',
      `/api/rack-sessions/${encodeURIComponent(session_id)}/complete`,
      { fencing_token },
    );
    if (done) this.completed.push({ sessionId: done.json.session_id, records, batches });
  }
}

/** Reads the cached routes over and over; any 5xx is recorded. */
export class Reader extends Driver {
  reads = 0;

  constructor(
    wire: Wire,
    private readonly routes: string[],
  ) {
    super(wire);
  }

  protected async cycle(): Promise<void> {
    for (const route of this.routes) {
      this.reads++;
      try {
        const res = await fetch(this.wire.base + route, {
          headers: { Authorization: `Bearer ${this.wire.token}` },
          signal: AbortSignal.timeout(scaled(20_000)),
        });
        const text = await res.text();
        if (res.status >= 500)
          this.wire.serverErrors.push({ route, status: res.status, body: text.slice(0, 300), at: Date.now() });
        else if (res.status >= 400)
          this.wire.refused.push({ route, status: res.status, body: text.slice(0, 300), at: Date.now() });
      } catch {
        this.wire.lostAnswers++;
      }
      await sleep(300);
    }
  }
}
