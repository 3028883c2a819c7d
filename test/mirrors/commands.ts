/**
 * A deterministic stream of room commands that are all accepted and all change
 * the room (so each one bumps the version and writes exactly one outbox row):
 * create-timer, start, pause, resume, adjust and reset, chosen by a seeded PRNG
 * from what the current state allows.
 */
import type { ApiResult, Harness } from '../support/live/harness.ts';

type Clock = 'idle' | 'running' | 'paused';
interface ModelTimer {
  id: string;
  state: Clock;
  adjustMs: number;
}

export interface IssuedCommand {
  command: string;
  timerId: string | null;
  version: number;
}

/** mulberry32: small, seeded, good enough to pick commands. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class CommandStream {
  private readonly timers: ModelTimer[] = [];
  private readonly random: () => number;
  version: number;
  readonly issued: IssuedCommand[] = [];

  constructor(
    private readonly h: Harness,
    private readonly roomId: string,
    private readonly token: string,
    startVersion: number,
    seed = 1,
  ) {
    this.version = startVersion;
    this.random = prng(seed);
  }

  /** Issues `n` commands one after another; every one must be accepted with version + 1. */
  async run(n: number): Promise<IssuedCommand[]> {
    const out: IssuedCommand[] = [];
    for (let i = 0; i < n; i++) out.push(await this.next());
    return out;
  }

  async next(): Promise<IssuedCommand> {
    const [command, timer] = this.pick();
    const route = `/api/rooms/${this.roomId}`;
    let res: ApiResult;
    if (command === 'create-timer')
      res = await this.h.api(
        'POST',
        `${route}/timers`,
        { label: `T${this.timers.length + 1}`, durationMs: 3_600_000 },
        this.token,
      );
    else if (command === 'adjust')
      res = await this.h.api(
        'POST',
        `${route}/timers/${timer!.id}/adjust`,
        { deltaMs: this.random() < 0.5 ? 5_000 : -2_000 },
        this.token,
      );
    else res = await this.h.api('POST', `${route}/timers/${timer!.id}/${command}`, undefined, this.token);
    if (res.status !== 200 && res.status !== 201)
      throw new Error(`${command} answered ${res.status}: ${JSON.stringify(res.json)}`);
    if (res.json.version !== this.version + 1)
      throw new Error(`${command}: version ${res.json.version}, expected ${this.version + 1}`);
    this.version = res.json.version;
    const t = res.json.timer as { id: string; state: Clock; adjustMs: number };
    if (command === 'create-timer') this.timers.push({ id: t.id, state: t.state, adjustMs: t.adjustMs });
    else {
      // start and resume pause whatever else was running.
      if (command === 'start' || command === 'resume')
        for (const o of this.timers) if (o.id !== t.id && o.state === 'running') o.state = 'paused';
      Object.assign(timer!, { state: t.state, adjustMs: t.adjustMs });
    }
    const issued = { command, timerId: command === 'create-timer' ? t.id : timer!.id, version: this.version };
    this.issued.push(issued);
    return issued;
  }

  private pick(): [string, ModelTimer | null] {
    const options: Array<[string, ModelTimer | null]> = [];
    if (this.timers.length < 6) options.push(['create-timer', null]);
    for (const t of this.timers) {
      if (t.state === 'idle') options.push(['start', t]);
      if (t.state === 'running') options.push(['pause', t]);
      if (t.state === 'paused') options.push(['resume', t]);
      options.push(['adjust', t]);
      if (t.state !== 'idle' || t.adjustMs !== 0) options.push(['reset', t]);
    }
    return options[Math.floor(this.random() * options.length)]!;
  }
}
