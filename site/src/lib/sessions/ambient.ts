/**
 * Gentle background music made in the browser with WebAudio (no downloaded
 * assets): slow pad chords through a soft low-pass, with a sparse pentatonic
 * melody in a little echo. A look-ahead scheduler queues one bar at a time;
 * pausing suspends the audio clock, so the music resumes where it was.
 */
export type AmbientState = 'stopped' | 'playing' | 'paused' | 'blocked' | 'unsupported';

const BAR_S = 8;
const LOOKAHEAD_S = 1.5;
const VOLUME = 0.2;
/** Four chords (MIDI notes), a bar each, round and round. */
const CHORDS = [
  [53, 57, 60, 64], // Fmaj7
  [48, 55, 62, 64], // Cadd9
  [45, 52, 55, 60], // Am7
  [43, 50, 55, 62], // G (sus)
];
const MELODY = [72, 74, 76, 79, 81, 84];

const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

export class AmbientLoop {
  private ctx: AudioContext | null = null;
  private master: GainNode | null = null;
  private pad: AudioNode | null = null;
  private echo: AudioNode | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private nextBarAt = 0;
  private bar = 0;
  private note = 2;
  private current: AmbientState = 'stopped';
  private listeners = new Set<(s: AmbientState) => void>();

  get state(): AmbientState {
    return this.current;
  }

  subscribe(fn: (s: AmbientState) => void): () => void {
    this.listeners.add(fn);
    fn(this.current);
    return () => this.listeners.delete(fn);
  }

  /** Starts or resumes. Browsers only allow sound after a gesture: until one, the state reads 'blocked'. */
  play(): void {
    if (this.current === 'playing' || this.current === 'unsupported') return;
    if (!this.ctx && !this.build()) return;
    const ctx = this.ctx as AudioContext;
    this.set('playing');
    ctx.resume().then(
      () => this.afterResume(),
      () => this.afterResume(),
    );
  }

  pause(): void {
    if (!this.ctx || this.current === 'paused' || this.current === 'stopped') return;
    this.set('paused');
    void this.ctx.suspend().catch(() => undefined);
  }

  /** Fades out and releases the audio device. */
  stop(): void {
    this.unblock();
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    const ctx = this.ctx;
    const master = this.master;
    this.ctx = this.master = this.pad = this.echo = null;
    if (this.current !== 'unsupported') this.set('stopped');
    if (!ctx || !master) return;
    master.gain.setTargetAtTime(0, ctx.currentTime, 0.15);
    setTimeout(() => void ctx.close().catch(() => undefined), 800);
  }

  // ── Internals ──────────────────────────────────────────────────────────
  private set(s: AmbientState): void {
    this.current = s;
    for (const fn of this.listeners) fn(s);
  }

  private build(): boolean {
    const Ctor = typeof AudioContext === 'undefined' ? null : AudioContext;
    if (!Ctor) {
      this.set('unsupported');
      return false;
    }
    const ctx = new Ctor();
    const master = ctx.createGain();
    master.gain.value = 0;
    master.gain.setTargetAtTime(VOLUME, ctx.currentTime, 0.8);
    master.connect(ctx.destination);
    const lowpass = ctx.createBiquadFilter();
    lowpass.type = 'lowpass';
    lowpass.frequency.value = 1100;
    lowpass.Q.value = 0.3;
    lowpass.connect(master);
    const delay = ctx.createDelay(2);
    delay.delayTime.value = 0.75;
    const feedback = ctx.createGain();
    feedback.gain.value = 0.35;
    const wet = ctx.createGain();
    wet.gain.value = 0.4;
    delay.connect(feedback).connect(delay);
    delay.connect(wet).connect(master);
    const dry = ctx.createGain();
    dry.connect(master);
    dry.connect(delay);
    this.ctx = ctx;
    this.master = master;
    this.pad = lowpass;
    this.echo = dry;
    this.nextBarAt = ctx.currentTime + 0.1;
    this.timer = setInterval(() => this.schedule(), 250);
    return true;
  }

  private afterResume(): void {
    const ctx = this.ctx;
    if (!ctx || this.current !== 'playing') return;
    if (ctx.state === 'running') {
      this.schedule();
      return;
    }
    // No gesture yet (e.g. a reload mid-session with music on): start on the first tap or key.
    this.set('blocked');
    addEventListener('pointerdown', this.unlock, true);
    addEventListener('keydown', this.unlock, true);
  }

  private unlock = (): void => {
    this.unblock();
    if (this.current !== 'blocked') return;
    this.current = 'paused';
    this.play();
  };

  private unblock(): void {
    removeEventListener('pointerdown', this.unlock, true);
    removeEventListener('keydown', this.unlock, true);
  }

  /** Queues every bar that starts within the look-ahead window. */
  private schedule(): void {
    const ctx = this.ctx;
    if (ctx?.state !== 'running') return;
    // After a long suspension the clock has not moved, but after a stall it may have: never schedule in the past.
    if (this.nextBarAt < ctx.currentTime) this.nextBarAt = ctx.currentTime + 0.05;
    while (this.nextBarAt < ctx.currentTime + LOOKAHEAD_S) {
      this.playBar(this.nextBarAt, CHORDS[this.bar % CHORDS.length] as number[]);
      this.bar++;
      this.nextBarAt += BAR_S;
    }
  }

  private playBar(at: number, chord: number[]): void {
    for (const [i, midi] of chord.entries()) {
      this.voice(at + i * 0.12, hz(midi), BAR_S + 2.5, i === 0 ? 'triangle' : 'sine', 0.09);
      this.voice(at + i * 0.12, hz(midi) * 1.003, BAR_S + 2.5, 'sine', 0.04);
    }
    // A sparse melody: about every other beat, stepping around the pentatonic scale.
    for (let beat = 0; beat < BAR_S; beat++) {
      if (Math.random() > 0.45) continue;
      this.note = Math.min(MELODY.length - 1, Math.max(0, this.note + Math.floor(Math.random() * 5) - 2));
      this.pluck(at + beat + (Math.random() < 0.3 ? 0.5 : 0), hz(MELODY[this.note] as number));
    }
  }

  /** A pad voice: slow swell, long release overlapping the next chord. */
  private voice(at: number, freq: number, length: number, type: OscillatorType, level: number): void {
    const ctx = this.ctx as AudioContext;
    const osc = ctx.createOscillator();
    osc.type = type;
    osc.frequency.value = freq;
    const g = ctx.createGain();
    g.gain.setValueAtTime(0, at);
    g.gain.linearRampToValueAtTime(level, at + 2.5);
    g.gain.setValueAtTime(level, at + length - 3);
    g.gain.linearRampToValueAtTime(0, at + length);
    osc.connect(g).connect(this.pad as AudioNode);
    osc.start(at);
    osc.stop(at + length + 0.1);
  }

  /** A soft bell-like note into the echo. */
  private pluck(at: number, freq: number): void {
    const ctx = this.ctx as AudioContext;
    const osc = ctx.createOscillator();
    osc.type = 'sine';
    osc.frequency.value = freq;
    const g = ctx.createGain();
    g.gain.setValueAtTime(0, at);
    g.gain.linearRampToValueAtTime(0.05, at + 0.02);
    g.gain.exponentialRampToValueAtTime(0.0001, at + 2.2);
    osc.connect(g).connect(this.echo as AudioNode);
    osc.start(at);
    osc.stop(at + 2.3);
  }
}

const KEY = 'kt:session-music';

/** The remembered choice (off unless turned on). */
export function musicWanted(): boolean {
  try {
    return localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

export function rememberMusic(on: boolean): void {
  try {
    if (on) localStorage.setItem(KEY, 'on');
    else localStorage.removeItem(KEY);
  } catch {
    // Storage disabled: the choice lasts until the page closes.
  }
}
