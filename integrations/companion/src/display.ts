/**
 * Keeps Companion's variables and feedbacks right between changes: on every state change, and locally on the
 * next instant a shown second can turn over (state.ts msToNextChange), it derives the variables from the state
 * and the estimated server clock and hands Companion only what changed. No request is made for this.
 */
import {
  type FeedbackState,
  type RoomView,
  type Variables,
  changedVariables,
  deriveFeedback,
  deriveVariables,
  msToNextChange,
} from './state.ts';

export interface DisplaySource {
  readonly state: RoomView;
  serverNow(): number;
}

export interface DisplaySink {
  setVariableValues(values: Partial<Variables>): void;
  /** Feedback types whose answer may have changed. */
  checkFeedbacks(types: FeedbackType[]): void;
}

export type FeedbackType = 'phase' | 'running' | 'paused' | 'blackout' | 'message_shown';

export class Display {
  private shown: Partial<Variables> = {};
  private feedback: FeedbackState | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  /** How many local recomputations ran (none of them makes a request). */
  renders = 0;

  constructor(
    private readonly source: DisplaySource,
    private readonly sink: DisplaySink,
  ) {}

  start(): void {
    this.running = true;
    this.render();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The state changed (a message arrived): recompute now. */
  render(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.renders++;
    const view = this.source.state;
    const now = this.source.serverNow();
    const changed = changedVariables(this.shown, deriveVariables(view, now));
    if (Object.keys(changed).length) {
      this.shown = { ...this.shown, ...changed };
      this.sink.setVariableValues(changed);
    }
    const fb = deriveFeedback(view, now);
    const prev = this.feedback;
    this.feedback = fb;
    const types: FeedbackType[] = [];
    if (!prev || prev.phase !== fb.phase) types.push('phase');
    if (!prev || prev.running !== fb.running) types.push('running');
    if (!prev || prev.paused !== fb.paused) types.push('paused');
    if (!prev || prev.blackout !== fb.blackout) types.push('blackout');
    if (!prev || prev.messageShown !== fb.messageShown) types.push('message_shown');
    if (types.length) this.sink.checkFeedbacks(types);
    this.timer = setTimeout(() => this.render(), msToNextChange(view, now));
  }

  /** The feedback state as last computed (what the feedback callbacks answer). */
  get current(): FeedbackState | null {
    return this.feedback;
  }
}
