/**
 * The presenter view (confidence monitor): the current timer large, the room's time of day, the next cue and when
 * it is projected to start, the cue's notes, every message (presenter-only ones tagged), and over/under the plan.
 */
import type { Timer } from '../../../../../core/rooms/timer.ts';
import {
  activeAndNext,
  type DisplayFrame,
  dayTimeFormat,
  displayFrame,
  messageFor,
  overUnderText,
  sameFrame,
} from '../../../lib/rooms/display.ts';
import { useFrameValue } from '../../common/hooks.ts';
import { ScreenMessage } from './parts.tsx';
import { scheduleAt } from './schedule.ts';
import type { StoreView, ViewProps } from './types.ts';

interface PresenterFrame {
  frame: DisplayFrame;
  clock: string;
  /** The show against its plan (null while the plan has no start). */
  show: ReturnType<typeof overUnderText> | null;
  /** The cue in progress against its own planned length. */
  cue: ReturnType<typeof overUnderText> | null;
  nextAt: string | null;
}

const idleFrame: DisplayFrame = { text: '–:––', phase: 'idle', progress: null };

function presenterFrame(view: StoreView, active: Timer | null, next: Timer | null, now: number): PresenterFrame {
  const zone = view.room?.timeZone ?? 'UTC';
  const sched = scheduleAt(view, now);
  const nextCue = next ? sched?.cues.find((c) => c.timerId === next.id) : undefined;
  return {
    frame: active && view.room ? displayFrame(active, view.room, now) : idleFrame,
    clock: dayTimeFormat(zone, 'seconds').format(now),
    show: sched && sched.plannedStart !== null ? overUnderText(sched.overUnderMs) : null,
    cue: sched && sched.liveOverUnderMs !== null ? overUnderText(sched.liveOverUnderMs) : null,
    nextAt: nextCue ? dayTimeFormat(zone, 'minutes').format(nextCue.projectedStart) : null,
  };
}

const samePresenter = (a: PresenterFrame, b: PresenterFrame) =>
  sameFrame(a.frame, b.frame) &&
  a.clock === b.clock &&
  a.show?.text === b.show?.text &&
  a.cue?.text === b.cue?.text &&
  a.nextAt === b.nextAt;

const stateWords: Partial<Record<Timer['state'], string>> = { paused: 'Paused', idle: 'Ready' };

export default function PresenterView({ view, corner }: ViewProps) {
  const { active, next } = activeAndNext(view.room, view.timers);
  const f = useFrameValue((now) => presenterFrame(view, active, next, now), samePresenter);
  const status = active
    ? f.frame.phase === 'overtime'
      ? 'Overtime'
      : active.state === 'finished'
        ? 'Time is up'
        : stateWords[active.state]
    : undefined;
  return (
    <div
      class={`kt-presenter kt-phase-${f.frame.phase}`}
      data-testid="presenter-view"
      data-phase={f.frame.phase}
      data-state={active?.state ?? 'empty'}
    >
      <header class="kt-presenter__top">
        <span class="kt-presenter__label" data-testid="display-label">
          {active ? active.label || 'Timer' : (view.room?.name ?? '')}
        </span>
        <time class="kt-presenter__clock" data-testid="presenter-clock">
          {f.clock}
        </time>
        {corner}
      </header>
      <section class="kt-presenter__timer" aria-label="Current timer">
        {active ? (
          <>
            <div class="kt-presenter__digits" data-testid="display-digits" style={{ '--chars': f.frame.text.length }}>
              {f.frame.text}
            </div>
            <div class="kt-presenter__state" data-testid="display-state">
              {status ?? ' '}
            </div>
          </>
        ) : (
          <div class="kt-presenter__empty" data-testid="display-empty">
            {view.room ? 'Waiting for the first timer' : 'Connecting…'}
          </div>
        )}
        {f.frame.progress !== null ? (
          <div class="kt-presenter__progress" style={{ width: `${f.frame.progress * 100}%` }} />
        ) : null}
      </section>
      <aside class="kt-presenter__side">
        <ScreenMessage message={messageFor(view.message, 'presenter')} presenter />
        <section class="kt-presenter__box kt-presenter__notes" data-testid="presenter-notes" aria-label="Notes">
          <h2>Notes</h2>
          {active?.notes ? <p>{active.notes}</p> : <p class="kt-presenter__none">No notes for this cue.</p>}
        </section>
      </aside>
      <footer class="kt-presenter__bottom">
        <div class="kt-presenter__next" data-testid="display-next">
          <span class="kt-presenter__tag">Next</span>
          {next ? (
            <>
              <span class="kt-presenter__next-label">{next.label || 'Timer'}</span>
              {f.nextAt ? <span class="kt-presenter__at">at {f.nextAt}</span> : null}
            </>
          ) : (
            <span class="kt-presenter__none">End of the rundown</span>
          )}
        </div>
        <div class="kt-presenter__ou" data-testid="presenter-overunder" data-tone={f.show?.tone ?? 'none'}>
          {f.show ? f.show.text : 'No planned start'}
          {f.cue && f.cue.tone !== 'on-time' ? (
            <span class="kt-presenter__cue-ou" data-testid="presenter-cue-overunder">
              {` · this cue ${f.cue.amount} ${f.cue.tone === 'behind' ? 'over' : 'under'}`}
            </span>
          ) : null}
        </div>
      </footer>
    </div>
  );
}
