/**
 * A room's controller for the reconnect storm: it keeps sending commands by
 * HTTP POST, each with its own Idempotency-Key, and retries a command whose
 * answer was lost (the worker died mid-request) with the same key until it
 * gets one. So every command ends with exactly one known outcome, and the
 * room's final state can be checked exactly against what was acknowledged.
 */
import { randomUUID } from 'node:crypto';
import { UNTIL_ANSWERED, Wire } from './retrying.ts';
import { Driver } from './traffic.ts';

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

export class RoomController extends Driver {
  readonly acked: Acked[] = [];
  private n = 0;

  constructor(
    base: string,
    readonly roomId: string,
    token: string,
    readonly mainTimerId: string,
    private readonly everyMs: number,
  ) {
    super(new Wire(base, token, UNTIL_ANSWERED));
  }

  /** 4xx answers (a 4xx to a valid command is a defect). */
  get refused() {
    return this.wire.refused;
  }

  /** 5xx answers, with when they came (retried with the same key). */
  get serverErrors() {
    return this.wire.serverErrors;
  }

  /** Attempts whose answer was lost (connection refused or reset). */
  get lostAnswers() {
    return this.wire.lostAnswers;
  }

  protected override pauseMs(): number {
    return this.everyMs * (0.5 + Math.random());
  }

  protected async cycle(): Promise<void> {
    const creates = this.acked.filter((a) => a.kind === 'create').length;
    const kind: Acked['kind'] = this.n++ % 6 === 5 && creates < MAX_CREATES ? 'create' : 'adjust';
    const label = kind === 'create' ? `storm-${this.n}-${randomUUID().slice(0, 6)}` : null;
    const route =
      kind === 'create'
        ? `/api/rooms/${this.roomId}/timers`
        : `/api/rooms/${this.roomId}/timers/${this.mainTimerId}/adjust`;
    const body = kind === 'create' ? { label, durationMs: 600_000 } : { deltaMs: ADJUST_MS };
    const r = await this.wire.send<{ version: number }>('POST', route, body);
    if (r) this.acked.push({ key: r.key, kind, label, version: r.json.version, at: Date.now(), attempts: r.attempts });
  }
}
