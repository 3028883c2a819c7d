/**
 * A room's controller for the reconnect storm: it keeps sending commands by
 * HTTP POST, each with its own Idempotency-Key, and retries a command whose
 * answer was lost (the worker died mid-request) with the same key until it
 * gets one. So every command ends with exactly one known outcome, and the
 * room's final state can be checked exactly against what was acknowledged.
 */
import { randomUUID } from 'node:crypto';

export interface Acked {
  key: string;
  kind: 'adjust' | 'create';
  label: string | null;
  version: number;
  /** When the answer arrived (epoch ms). */
  at: number;
  /** Attempts it took (more than 1: the first answers were lost). */
  attempts: number;
}

export const ADJUST_MS = 1_000;
/** Timers a controller creates at most (the room holds 100). */
const MAX_CREATES = 60;

export class RoomController {
  readonly acked: Acked[] = [];
  /** 4xx answers (a 4xx to a valid command is a defect). */
  readonly refused: Array<{ status: number; body: string }> = [];
  /** 5xx answers, with when they came (retried with the same key). */
  readonly serverErrors: Array<{ status: number; body: string; at: number }> = [];
  /** Attempts whose answer was lost (connection refused or reset). */
  lostAnswers = 0;
  private stopped = false;
  private running: Promise<void> | null = null;
  private n = 0;

  constructor(
    private readonly base: string,
    readonly roomId: string,
    private readonly token: string,
    readonly mainTimerId: string,
    private readonly everyMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    this.running ??= this.loop();
  }

  /** Stops after the command in flight has its answer. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      await this.next();
      await sleep(this.everyMs * (0.5 + Math.random()));
    }
  }

  private async next(): Promise<void> {
    const creates = this.acked.filter((a) => a.kind === 'create').length;
    const kind: Acked['kind'] = this.n++ % 6 === 5 && creates < MAX_CREATES ? 'create' : 'adjust';
    const label = kind === 'create' ? `storm-${this.n}-${randomUUID().slice(0, 6)}` : null;
    const route =
      kind === 'create'
        ? `/api/rooms/${this.roomId}/timers`
        : `/api/rooms/${this.roomId}/timers/${this.mainTimerId}/adjust`;
    const body = kind === 'create' ? { label, durationMs: 600_000 } : { deltaMs: ADJUST_MS };
    const key = randomUUID();
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      let text: string;
      try {
        res = await fetch(this.base + route, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${this.token}`,
            'Idempotency-Key': key,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(20_000),
        });
        text = await res.text();
      } catch {
        this.lostAnswers++;
        await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)) * Math.random() + 50);
        continue;
      }
      if (res.status >= 500) {
        // Unknown outcome: record it (the test judges when it happened) and retry with the same key.
        this.serverErrors.push({ status: res.status, body: text.slice(0, 300), at: Date.now() });
        await sleep(250 + 500 * Math.random());
        continue;
      }
      if (res.status === 200 || res.status === 201) {
        const json = JSON.parse(text) as { version: number };
        this.acked.push({ key, kind, label, version: json.version, at: Date.now(), attempts: attempt });
      } else this.refused.push({ status: res.status, body: text.slice(0, 300) });
      return;
    }
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
