/**
 * A short two-note chime for focus phase changes, synthesised with Web Audio
 * (no sound files). The context is created on the user's gesture that turned
 * the chime on (`unlockChime`), since browsers refuse sound otherwise.
 */
let ctx: AudioContext | null = null;

export function unlockChime(): void {
  try {
    ctx ??= new AudioContext();
    void ctx.resume();
  } catch {
    ctx = null;
  }
}

const NOTES = { focus: [660, 880], break: [880, 660] } as const;

export function chime(kind: 'focus' | 'break'): void {
  if (!ctx || ctx.state !== 'running') return;
  const t0 = ctx.currentTime + 0.02;
  NOTES[kind].forEach((hz, i) => {
    if (!ctx) return;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = hz;
    const at = t0 + i * 0.22;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + 0.22);
  });
}
