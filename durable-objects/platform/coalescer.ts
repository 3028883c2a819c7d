/**
 * Runs `fn` at most once per `gapMs`: the first request after a quiet spell runs at once, requests inside the gap
 * are folded into one trailing run. In memory only: a hibernated object starts quiet again.
 */
export class Coalescer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRun = -Infinity;

  constructor(
    private readonly gapMs: number,
    private readonly fn: () => void,
  ) {}

  request(): void {
    if (this.timer !== null) return; // a run is already due and will see this change
    const wait = this.lastRun + this.gapMs - Date.now();
    if (wait <= 0) this.now();
    else
      this.timer = setTimeout(() => {
        this.timer = null;
        this.now();
      }, wait);
  }

  /** Runs at once (cancelling a due trailing run). */
  now(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.lastRun = Date.now();
    this.fn();
  }
}
