/**
 * The agenda view: the public rundown with planned and projected start times, the current cue highlighted and
 * played cues struck through, the room's time of day and how far ahead or behind the show runs. Scrolls on a phone.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { RoomSchedule } from '../../../../../core/rooms/schedule.ts';
import { type Timer, totalMs } from '../../../../../core/rooms/timer.ts';
import { formatDuration } from '../../../../../core/time.ts';
import { dayTimeFormat, messageFor, overUnderText } from '../../../lib/rooms/display.ts';
import { useFrameValue } from '../../common/hooks.ts';
import { ScreenMessage } from './parts.tsx';
import { scheduleAt } from './schedule.ts';
import type { StoreView, ViewProps } from './types.ts';

type RowStatus = 'played' | 'current' | 'upcoming';

interface AgendaRow {
  id: string;
  label: string;
  length: string;
  /** Planned start (null while the plan has no start). */
  planned: string | null;
  /** Actual start once played, else projected; null when it reads the same as the plan. */
  moved: string | null;
  drift: 'late' | 'early' | null;
  status: RowStatus;
}

interface AgendaFrame {
  clock: string;
  show: ReturnType<typeof overUnderText> | null;
  ends: string | null;
  rows: AgendaRow[];
  key: string;
}

function lengthText(t: Timer, zone: string): string {
  if (t.mode === 'time-of-day' && t.targetTime !== null)
    return `until ${dayTimeFormat(zone, 'minutes').format(t.targetTime + t.adjustMs)}`;
  if (t.mode === 'countup' && t.durationMs <= 0) return 'open';
  return formatDuration(totalMs(t));
}

function statusOf(sched: RoomSchedule, i: number, activeIdx: number): RowStatus {
  if (i === activeIdx) return 'current';
  return sched.cues[i]?.actualEnd != null ? 'played' : 'upcoming';
}

function agendaFrame(view: StoreView, now: number): AgendaFrame {
  const zone = view.room?.timeZone ?? 'UTC';
  const hm = dayTimeFormat(zone, 'minutes');
  const sched = scheduleAt(view, now);
  const activeIdx = view.timers.findIndex((t) => t.id === view.room?.activeTimerId);
  const rows: AgendaRow[] = sched
    ? view.timers.map((t, i) => {
        const cue = sched.cues[i];
        const planned = cue?.plannedStart != null ? hm.format(cue.plannedStart) : null;
        const startedAt = cue?.actualStart ?? cue?.projectedStart ?? null;
        const at = startedAt === null ? null : hm.format(startedAt);
        const late = cue?.plannedStart != null && startedAt !== null ? startedAt - cue.plannedStart : 0;
        return {
          id: t.id,
          label: t.label || 'Timer',
          length: lengthText(t, zone),
          planned,
          moved: at !== planned ? at : null,
          drift: at === planned || planned === null ? null : late > 0 ? 'late' : 'early',
          status: statusOf(sched, i, activeIdx),
        };
      })
    : [];
  const frame = {
    clock: hm.format(now),
    show: sched && sched.plannedStart !== null ? overUnderText(sched.overUnderMs) : null,
    ends: sched?.projectedEnd != null ? hm.format(sched.projectedEnd) : null,
    rows,
  };
  return { ...frame, key: JSON.stringify(frame) };
}

const sameAgenda = (a: AgendaFrame, b: AgendaFrame) => a.key === b.key;

export default function AgendaView({ view, corner }: ViewProps) {
  // Times show to the minute: recomputed at most once a second (or when the room changes), not every frame.
  const last = useRef<{ view: StoreView; second: number; frame: AgendaFrame } | null>(null);
  const f = useFrameValue((now) => {
    const second = Math.floor(now / 1000);
    if (last.current?.view === view && last.current.second === second) return last.current.frame;
    const frame = agendaFrame(view, now);
    last.current = { view, second, frame };
    return frame;
  }, sameAgenda);
  const current = useRef<HTMLLIElement>(null);
  const currentId = f.rows.find((r) => r.status === 'current')?.id;
  useEffect(() => current.current?.scrollIntoView({ block: 'nearest' }), [currentId]);
  return (
    <div class="kt-agenda" data-testid="agenda-view">
      <header class="kt-agenda__top">
        <h1 class="kt-agenda__title" data-testid="agenda-title">
          {view.room?.name ?? 'Connecting…'}
        </h1>
        <div class="kt-agenda__meta">
          <time class="kt-agenda__clock" data-testid="agenda-clock">
            {f.clock}
          </time>
          {f.show ? (
            <span class="kt-agenda__ou" data-testid="agenda-overunder" data-tone={f.show.tone}>
              {f.show.text}
            </span>
          ) : null}
          {corner}
        </div>
      </header>
      <ScreenMessage message={messageFor(view.message, 'audience')} />
      {view.room && f.rows.length === 0 ? (
        <p class="kt-agenda__empty" data-testid="display-empty">
          The rundown is empty.
        </p>
      ) : null}
      <ol class="kt-agenda__list" aria-label="Rundown">
        {f.rows.map((r) => (
          <li
            key={r.id}
            ref={r.status === 'current' ? current : undefined}
            class={`kt-agenda__row is-${r.status}`}
            data-testid="agenda-row"
            data-status={r.status}
            aria-current={r.status === 'current' ? 'step' : undefined}
          >
            <span class="kt-agenda__times">
              <span class="kt-agenda__planned" data-testid="agenda-planned" title="Planned start">
                {r.planned ?? '—'}
              </span>
              {r.moved ? (
                <span class="kt-agenda__moved" data-testid="agenda-projected" data-drift={r.drift ?? 'none'}>
                  {r.status === 'upcoming' ? `now ${r.moved}` : `started ${r.moved}`}
                </span>
              ) : null}
            </span>
            <span class="kt-agenda__label" data-testid="agenda-label">
              {r.label}
              {r.status === 'played' ? <span class="kt-sr"> (done)</span> : null}
              {r.status === 'current' ? <span class="kt-agenda__now">Now</span> : null}
            </span>
            <span class="kt-agenda__length">{r.length}</span>
          </li>
        ))}
      </ol>
      {f.ends ? (
        <p class="kt-agenda__ends kt-muted" data-testid="agenda-ends">
          Projected end {f.ends}
        </p>
      ) : null}
    </div>
  );
}
