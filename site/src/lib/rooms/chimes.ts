/**
 * Audio cues (issue 12): the viewer's chimes at warning, danger and zero, synthesised with WebAudio (no file is
 * fetched) and scheduled on the audio clock at the synced server instant, not when a frame happens to notice.
 * The AudioContext is created and resumed only from a user gesture (`enable()`); browsers refuse sound otherwise.
 * The listener's choice is kept per device, but a reload still needs a gesture.
 */
import { type ChimeAt, type ChimeKind, type ChimeRoom, upcomingChimes } from '../../../../core/rooms/chimes.ts';
import type { Timer } from '../../../../core/rooms/timer.ts';

interface Note {
  /** Hz. */
  f: number;
  /** Offset from the chime's instant, s. */
  t: number;
  /** Length (decay to silence), s. */
  d: number;
  gain: number;
  type: OscillatorType;
}

/** The sounds: the first note of each starts exactly at the instant, and its pitch tells the kinds apart. */
export const CHIME_TONES: Record<ChimeKind, Note[]> = {
  warning: [{ f: 659.25, t: 0, d: 0.6, gain: 0.5, type: 'sine' }],
  danger: [
    { f: 880, t: 0, d: 0.16, gain: 0.45, type: 'triangle' },
    { f: 987.77, t: 0.22, d: 0.2, gain: 0.45, type: 'triangle' },
  ],
  zero: [
    { f: 1046.5, t: 0, d: 1.4, gain: 0.5, type: 'sine' },
    { f: 523.25, t: 0, d: 1.6, gain: 0.35, type: 'sine' },
    { f: 1568, t: 0, d: 0.7, gain: 0.15, type: 'sine' },
  ],
};

/** Only this far ahead is scheduled (a hidden tab's timers may run once a minute); later ones on a later pass. */
const HORIZON_MS = 70_000;
/** A handful of chimes at most are queued at once. */
const MAX_AHEAD = 4;
/** A queued chime whose audio time moved by more than this (s) is cancelled and queued again. */
const MOVE_S = 0.008;
const RECHECK_MS = 1_000;
const PREF_KEY = 'keeptime.sound';

export type SoundPref = 'on' | 'off' | null;

export interface SoundStatus {
  /** The listener's choice on this device: on, muted, or never chosen. */
  pref: SoundPref;
  /** The audio context exists and runs (a gesture started it). */
  running: boolean;
}

/** A chime queued on the audio clock. */
export interface ScheduledChime extends ChimeAt {
  /** AudioContext time of the chime's first note, s. */
  when: number;
}

interface Pending extends ScheduledChime {
  nodes: OscillatorNode[];
}

type AudioContextCtor = new (opts?: AudioContextOptions) => AudioContext;

function readPref(): SoundPref {
  try {
    const v = localStorage.getItem(PREF_KEY);
    return v === 'on' || v === 'off' ? v : null;
  } catch {
    return null;
  }
}

function writePref(v: SoundPref): void {
  try {
    if (v) localStorage.setItem(PREF_KEY, v);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

export class ChimePlayer {
  private ctx: AudioContext | null = null;
  private out: GainNode | null = null;
  private pref: SoundPref = readPref();
  private timer: Timer | null = null;
  private room: ChimeRoom | null = null;
  private pending = new Map<string, Pending>();
  /** Chimes already heard (keys of server instants), so that a later pass never repeats one. */
  private played = new Set<string>();
  private listeners = new Set<(s: SoundStatus) => void>();
  private tick: ReturnType<typeof setInterval> | null = null;

  /** `clock.now()` is the synced server time, read from the page's monotonic clock (ClockSync). */
  constructor(private readonly clock: { now(): number }) {}

  get status(): SoundStatus {
    return { pref: this.pref, running: this.ctx?.state === 'running' };
  }

  /** Sound is on: chosen, and the context runs. */
  get enabled(): boolean {
    return this.pref === 'on' && this.status.running;
  }

  /** What is queued now, in time order (for tests and the curious). */
  get scheduled(): ScheduledChime[] {
    return [...this.pending.values()].map(({ kind, at, when }) => ({ kind, at, when })).sort((a, b) => a.at - b.at);
  }

  /** Calls back at once, then on every change. */
  subscribe(fn: (s: SoundStatus) => void): () => void {
    this.listeners.add(fn);
    fn(this.status);
    return () => this.listeners.delete(fn);
  }

  /** Turns sound on. Call it from a user gesture's handler: it creates or resumes the context there. */
  enable(): void {
    this.pref = 'on';
    writePref('on');
    const Ctor = (window.AudioContext ?? (window as { webkitAudioContext?: AudioContextCtor }).webkitAudioContext) as
      | AudioContextCtor
      | undefined;
    if (!Ctor) return this.changed();
    if (!this.ctx) {
      this.ctx = new Ctor({ latencyHint: 'interactive' });
      this.out = this.ctx.createGain();
      this.out.gain.value = 0.7;
      this.out.connect(this.ctx.destination);
      this.ctx.onstatechange = () => this.changed();
    }
    if (this.ctx.state !== 'running') void this.ctx.resume().catch(() => this.changed());
    this.changed();
  }

  /** Mutes (kept for this device); the context is suspended until sound is turned on again. */
  mute(): void {
    this.pref = 'off';
    writePref('off');
    this.cancelAll();
    if (this.ctx?.state === 'running') void this.ctx.suspend().catch(() => undefined);
    this.changed();
  }

  /** The timer on screen and the room's settings changed (any state message). */
  update(timer: Timer | null, room: ChimeRoom | null): void {
    this.timer = timer;
    this.room = room;
    this.sync();
  }

  /**
   * Brings the queue in line with the timer and the clock: cancels what no longer applies or has moved, and
   * queues what is due within the horizon. Runs on every state change, every clock estimate and once a second.
   */
  sync(): void {
    const ctx = this.ctx;
    if (!ctx || !this.out || !this.enabled || !this.timer || !this.room) return this.cancelAll();
    for (const [key, p] of this.pending) {
      if (p.when <= ctx.currentTime) {
        // Already sounding: it plays out, and is never queued again.
        this.pending.delete(key);
        this.played.add(key);
      }
    }
    const now = this.clock.now();
    const due = upcomingChimes(this.timer, this.room, now, { horizonMs: HORIZON_MS })
      .map((c) => ({ ...c, key: `${this.timer?.id}|${c.kind}|${c.at}` }))
      .filter((c) => !this.played.has(c.key))
      .slice(0, MAX_AHEAD);
    const keep = new Set(due.map((c) => c.key));
    for (const [key, p] of this.pending) if (!keep.has(key)) this.cancel(key, p);
    // One reading of the clocks for the whole pass: chimes queued together keep their exact spacing.
    const audioTimeOf = this.audioClock(ctx, now);
    for (const c of due) {
      const when = audioTimeOf(c.at);
      const p = this.pending.get(c.key);
      if (p && Math.abs(p.when - when) <= MOVE_S) continue;
      if (p) this.cancel(c.key, p);
      this.pending.set(c.key, { kind: c.kind, at: c.at, when, nodes: this.play(ctx, this.out, c.kind, when) });
    }
    if (this.played.size > 64) this.played = new Set([...this.played].slice(-32));
    this.ensureTick();
  }

  /** Stops everything (the page is leaving). */
  close(): void {
    this.cancelAll();
    this.listeners.clear();
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
  }

  /**
   * Maps a server instant to the audio-clock time it is heard at. `getOutputTimestamp()` pairs the context time
   * being heard at the speaker with the performance clock's reading of that moment, and ClockSync reads the
   * server clock off the same performance clock: so the mapping goes server → performance → audio output, and
   * includes the output latency. Without a usable timestamp (a context that has not produced output yet),
   * `currentTime` is the best reading of "now" on the audio clock.
   */
  private audioClock(ctx: AudioContext, serverNow: number): (at: number) => number {
    const perfNow = performance.now();
    const ts = ctx.getOutputTimestamp?.();
    if (ts?.contextTime && ts.performanceTime) {
      const { contextTime, performanceTime } = ts;
      return (at) => contextTime + (perfNow + (at - serverNow) - performanceTime) / 1000;
    }
    const current = ctx.currentTime;
    return (at) => current + (at - serverNow) / 1000;
  }

  /** Queues one chime's notes at `when`; an instant already slightly past plays at once. */
  private play(ctx: AudioContext, out: AudioNode, kind: ChimeKind, when: number): OscillatorNode[] {
    return CHIME_TONES[kind].map((n) => {
      const start = when + n.t;
      const osc = ctx.createOscillator();
      const env = ctx.createGain();
      osc.type = n.type;
      osc.frequency.value = n.f;
      // A 5 ms attack: the onset is at the instant, without a click; then an exponential decay like a bell.
      env.gain.setValueAtTime(0, start);
      env.gain.linearRampToValueAtTime(n.gain, start + 0.005);
      env.gain.exponentialRampToValueAtTime(0.0001, start + n.d);
      osc.connect(env).connect(out);
      osc.onended = () => env.disconnect();
      osc.start(start);
      osc.stop(start + n.d + 0.05);
      return osc;
    });
  }

  private cancel(key: string, p: Pending): void {
    this.pending.delete(key);
    for (const osc of p.nodes) {
      try {
        osc.stop();
      } catch {
        // Already stopped.
      }
    }
  }

  private cancelAll(): void {
    for (const [key, p] of this.pending) this.cancel(key, p);
    if (this.tick !== null) clearInterval(this.tick);
    this.tick = null;
  }

  /** A slow pass picks up chimes entering the horizon and follows the clock estimate and audio clock drift. */
  private ensureTick(): void {
    if (this.tick === null) this.tick = setInterval(() => this.sync(), RECHECK_MS);
  }

  private changed(): void {
    this.sync();
    const s = this.status;
    for (const fn of this.listeners) fn(s);
  }
}
