/**
 * The rundown: every timer in order. Reorder by dragging a row's handle (mouse
 * or touch), or by focusing the handle and pressing ↑ / ↓. Click a row to make
 * it the active timer. Each row shows its planned, projected and actual times,
 * and the header the show's over/under and projected end, recomputed every
 * frame from the room's state (core/rooms/schedule.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
// Link holders' views carry no owner id (core/rooms/wire.ts).
import type { RoomInfoView as RoomInfo } from '../../../../core/rooms/wire.ts';
import type { Timer } from '../../../../core/rooms/timer.ts';
import { type DisplayFrame, displayFrame } from '../../lib/rooms/display.ts';
import type { Played } from '../../../../core/rooms/schedule.ts';
import { type ScheduleFrame, type ScheduleRow, sameSchedule, scheduleFramer } from './schedule-frame.ts';
import { ConfirmButton } from '../common/ConfirmButton.tsx';
import { useFrameValue } from '../common/hooks.ts';
import { Icon } from '../common/Icon.tsx';
import type { RunCommand } from '../../lib/rooms/store.ts';
import { OWN_KEYS } from './use-shortcuts.ts';

interface RundownProps {
  room: RoomInfo;
  timers: Timer[];
  /** What has played in this show (the store's `played`). */
  played: Played;
  run: RunCommand;
  onEdit: (t: Timer) => void;
  onAdd: () => void;
}

const modeWords = { countdown: 'Countdown', countup: 'Count up', 'time-of-day': 'Until a time' } as const;
const triggerWords = { manual: '', linked: 'Linked', scheduled: 'Scheduled' } as const;

/** `ids` with `id` moved to `index`. */
export function moved(ids: string[], id: string, index: number): string[] {
  const rest = ids.filter((x) => x !== id);
  rest.splice(Math.max(0, Math.min(index, rest.length)), 0, id);
  return rest;
}

export function Rundown({ room, timers, played, run, onEdit, onAdd }: RundownProps) {
  const serverIds = timers.map((t) => t.id);
  // A local order while dragging, or until the server confirms a move.
  const [order, setOrder] = useState<string[] | null>(null);
  const [announce, setAnnounce] = useState('');
  const [focusId, setFocusId] = useState<string | null>(null);
  const drag = useRef<{ id: string; mids: number[]; ids: string[] } | null>(null);
  const handles = useRef(new Map<string, HTMLButtonElement>());
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => setOrder(null), [serverIds.join(',')]);
  useEffect(() => {
    if (focusId) handles.current.get(focusId)?.focus();
  });

  const framer = useMemo(scheduleFramer, []);
  const sched = useFrameValue((now) => framer(room, timers, played, now), sameSchedule);
  const byId = new Map(timers.map((t) => [t.id, t]));
  const ids = (order ?? serverIds).filter((id) => byId.has(id));
  const shown = ids.map((id) => byId.get(id) as Timer);

  const commit = async (next: string[], id: string) => {
    if (next.join(',') === serverIds.join(',')) return setOrder(null);
    setOrder(next);
    const label = byId.get(id)?.label || 'Timer';
    setAnnounce(`${label} moved to position ${next.indexOf(id) + 1} of ${next.length}`);
    const r = await run({ type: 'reorder', timerIds: next });
    if (!r.ok) setOrder(null);
  };

  const onPointerDown = (e: PointerEvent, id: string) => {
    if (e.button !== 0) return;
    e.preventDefault();
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    const rows = [...(listRef.current?.querySelectorAll<HTMLElement>('[data-testid="rundown-row"]') ?? [])];
    drag.current = { id, ids, mids: rows.map((r) => r.getBoundingClientRect()).map((b) => b.top + b.height / 2) };
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const others = d.mids.filter((_, i) => d.ids[i] !== d.id);
    const index = others.filter((mid) => mid < e.clientY).length;
    const next = moved(d.ids, d.id, index);
    if (next.join(',') !== ids.join(',')) setOrder(next);
  };
  const onPointerUp = () => {
    const d = drag.current;
    drag.current = null;
    if (d) void commit(ids, d.id);
  };
  const onHandleKey = (e: KeyboardEvent, id: string) => {
    const i = ids.indexOf(id);
    const to =
      e.key === 'ArrowUp'
        ? i - 1
        : e.key === 'ArrowDown'
          ? i + 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? ids.length - 1
              : null;
    if (to === null) return;
    e.preventDefault();
    if (to < 0 || to >= ids.length || to === i) return;
    setFocusId(id);
    void commit(moved(ids, id, to), id);
  };

  return (
    <div class="rd">
      <div class="rd-head">
        <h2>Rundown</h2>
        <ShowStatus sched={sched} />
        <button type="button" class="kt-btn kt-btn--primary kt-btn--small" onClick={onAdd} data-testid="add-timer">
          + Add timer
        </button>
      </div>
      {shown.length === 0 ? (
        <p class="kt-muted rd-empty" data-testid="rundown-empty">
          No timers yet. Add the first one: a label and a duration are enough.
        </p>
      ) : (
        <ol class="rd-list" ref={listRef} data-testid="rundown">
          {shown.map((t, i) => {
            const isActive = t.id === room.activeTimerId;
            return (
              <li
                key={t.id}
                class={`rd-row${isActive ? ' is-active' : ''}${drag.current?.id === t.id ? ' is-dragging' : ''}`}
                data-testid="rundown-row"
                data-timer-id={t.id}
                data-active={isActive ? 'true' : 'false'}
                data-state={t.state}
              >
                <button
                  type="button"
                  class="rd-handle"
                  aria-label={`Reorder ${t.label || 'timer'}: drag, or use the up and down arrow keys`}
                  title="Drag, or focus and press ↑ / ↓"
                  {...{ [OWN_KEYS]: '' }}
                  ref={(el) => {
                    if (el) handles.current.set(t.id, el);
                    else handles.current.delete(t.id);
                  }}
                  onPointerDown={(e) => onPointerDown(e, t.id)}
                  onPointerMove={onPointerMove}
                  onPointerUp={onPointerUp}
                  onPointerCancel={onPointerUp}
                  onKeyDown={(e) => onHandleKey(e, t.id)}
                  onBlur={() => setFocusId(null)}
                  data-testid="row-handle"
                >
                  <Icon name="grip" />
                </button>
                <button
                  type="button"
                  class="rd-main"
                  onClick={() => run({ type: 'select', timerId: t.id })}
                  data-testid="row-select"
                  aria-current={isActive ? 'true' : undefined}
                >
                  <span class="rd-index">{i + 1}</span>
                  <span class="rd-text">
                    <span class="rd-label" data-testid="row-label">
                      {t.label || 'Untitled timer'}
                    </span>
                    <span class="rd-meta">
                      {modeWords[t.mode]}
                      {triggerWords[t.trigger] ? ` · ${triggerWords[t.trigger]}` : ''}
                      {t.state !== 'idle' ? ` · ${t.state}` : ''}
                    </span>
                    <RowSchedule row={sched.rows.get(t.id)} />
                    {t.notes ? (
                      <span class="rd-notes" data-testid="row-notes" title={t.notes}>
                        {t.notes}
                      </span>
                    ) : null}
                  </span>
                </button>
                <RowTime timer={t} room={room} />
                <div class="rd-actions">
                  <button
                    type="button"
                    class="kt-btn kt-btn--small"
                    onClick={() => onEdit(t)}
                    aria-label={`Edit ${t.label || 'timer'}`}
                    title="Edit"
                    data-testid="row-edit"
                  >
                    <Icon name="edit" />
                  </button>
                  <ConfirmButton
                    class="kt-btn--small"
                    testid="row-delete"
                    confirmText="Delete?"
                    onConfirm={() => run({ type: 'delete-timer', timerId: t.id })}
                  >
                    <Icon name="close" />
                    <span class="kt-sr">Delete</span>
                  </ConfirmButton>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      <p class="kt-sr" aria-live="polite" data-testid="rundown-announce">
        {announce}
      </p>
    </div>
  );
}

function RowTime({ timer, room }: { timer: Timer; room: RoomInfo }) {
  const f = useFrameValue((now) => displayFrame(timer, room, now), sameText);
  return (
    <span class={`rd-time kt-phase-text-${f.phase}`} data-testid="row-time">
      {f.text}
    </span>
  );
}

const sameText = (a: DisplayFrame, b: DisplayFrame) => a.text === b.text && a.phase === b.phase;

/** The show's over/under (in words, not colour only) and its projected end. */
function ShowStatus({ sched }: { sched: ScheduleFrame }) {
  if (sched.rows.size === 0) return null;
  return (
    <div class="rd-show" data-testid="schedule-status">
      {sched.badge ? (
        <span
          class={`rd-badge rd-badge--${sched.badge.tone}`}
          data-testid="schedule-badge"
          data-tone={sched.badge.tone}
        >
          {sched.badge.text}
        </span>
      ) : null}
      {sched.end ? (
        <span class="rd-end" data-testid="schedule-end">
          Ends <time>{sched.end}</time>
        </span>
      ) : null}
    </div>
  );
}

/** A row's planned, projected and actual times (projected only while it has not started), in one line. */
function RowSchedule({ row }: { row: ScheduleRow | undefined }) {
  if (!row) return null;
  return (
    <span class="rd-sched" data-testid="row-schedule">
      <span data-testid="row-planned" title="Planned start">
        <abbr title="Planned">Plan</abbr> {row.planned ?? '—'}
      </span>
      {row.actual ? (
        <span data-testid="row-actual" title="Actual start and end">
          <abbr title="Actual">Act</abbr> {row.actual}
        </span>
      ) : (
        <span data-testid="row-projected" title="Projected start">
          <abbr title="Projected">Proj</abbr> {row.projected}
        </span>
      )}
      {row.drift ? (
        <span class={`rd-drift rd-drift--${row.drift.tone}`} data-testid="row-drift">
          {row.drift.text}
        </span>
      ) : null}
    </span>
  );
}
