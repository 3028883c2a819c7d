/**
 * Activity reporting: the page notes input (keys, pointer, wheel, touch) and
 * its becoming visible, and tells the server at most once a minute and only
 * when something happened since the last report. Nothing is sent from a page
 * nobody touches, so an idle session costs the server nothing. Pure core
 * (`ActivityReporter`) plus the DOM wiring (`watchActivity`).
 */
export const ACTIVITY_INTERVAL_MS = 60_000;

export class ActivityReporter {
  private lastInput: number | null = null;
  private lastSent = Number.NEGATIVE_INFINITY;
  private dirty = false;

  constructor(
    private readonly send: (at: number) => boolean,
    private readonly now: () => number = Date.now,
    private readonly interval = ACTIVITY_INTERVAL_MS,
  ) {}

  /** Input or the page became visible. Sends at once when the last report is a minute old. */
  noted(): void {
    this.lastInput = this.now();
    this.dirty = true;
    this.flush();
  }

  /** Sends the pending report if one is due (called on a timer). True when it sent. */
  flush(): boolean {
    if (!this.dirty || this.lastInput === null) return false;
    const now = this.now();
    if (now - this.lastSent < this.interval) return false;
    if (!this.send(this.lastInput)) return false;
    this.lastSent = now;
    this.dirty = false;
    return true;
  }
}

const EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/** Wires a reporter to this page's input and visibility; returns the unwiring. */
export function watchActivity(reporter: ActivityReporter, checkEveryMs = 10_000): () => void {
  const onInput = () => reporter.noted();
  const onVisible = () => document.visibilityState === 'visible' && reporter.noted();
  for (const e of EVENTS) window.addEventListener(e, onInput, { passive: true, capture: true });
  document.addEventListener('visibilitychange', onVisible);
  const timer = window.setInterval(() => reporter.flush(), checkEveryMs);
  return () => {
    for (const e of EVENTS) window.removeEventListener(e, onInput, { capture: true });
    document.removeEventListener('visibilitychange', onVisible);
    window.clearInterval(timer);
  };
}
