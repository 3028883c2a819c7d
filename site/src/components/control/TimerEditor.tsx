/**
 * Add or edit a timer: label, mode, duration or target, trigger and start time, warn/danger overrides, its planned
 * start (a time in the room's zone; empty follows on from the cue before), notes, and whether it is a buffer.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
// Link holders' views carry no owner id (core/rooms/wire.ts).
import type { RoomInfoView as RoomInfo } from '../../../../core/rooms/wire.ts';
import type { Timer, TimerMode, TimerTrigger } from '../../../../core/rooms/timer.ts';
import { formatDurationInput, optionalSeconds, parseDuration } from '../../lib/clock/duration-input.ts';
import type { RunCommand } from '../../lib/rooms/store.ts';
import { LIMITS } from '../../../../core/errors.ts';
import { Modal } from '../common/Modal.tsx';
import { ChimeFields } from './ChimeFields.tsx';
import { dateTimeInputValue, fromZonedInput, timeInputValue } from './schedule-frame.ts';

interface TimerEditorProps {
  timer: Timer | null;
  room: RoomInfo;
  run: RunCommand;
  onClose: () => void;
}

const inAnHour = () => Date.now() + 3_600_000 - (Date.now() % 60_000);

export function TimerEditor({ timer, room, run, onClose }: TimerEditorProps) {
  const [label, setLabel] = useState(timer?.label ?? '');
  const [mode, setMode] = useState<TimerMode>(timer?.mode ?? 'countdown');
  const [duration, setDuration] = useState(formatDurationInput(timer?.durationMs ?? 5 * 60_000));
  // Clock times are typed in the room's zone, as the studio clock and the viewers show them.
  const [target, setTarget] = useState(dateTimeInputValue(timer?.targetTime ?? inAnHour(), room.timeZone));
  const [trigger, setTrigger] = useState<TimerTrigger>(timer?.trigger ?? 'manual');
  const [startAt, setStartAt] = useState(dateTimeInputValue(timer?.startAt ?? inAnHour(), room.timeZone));
  const [warn, setWarn] = useState(timer?.warnMs != null ? String(timer.warnMs / 1000) : '');
  const [danger, setDanger] = useState(timer?.dangerMs != null ? String(timer.dangerMs / 1000) : '');
  const [notes, setNotes] = useState(timer?.notes ?? '');
  const [planned, setPlanned] = useState(timeInputValue(timer?.plannedStart ?? null, room.timeZone));
  const [isBuffer, setIsBuffer] = useState(timer?.buffer != null);
  const [bufferMin, setBufferMin] = useState(formatDurationInput(timer?.buffer?.minDurationMs ?? 0));
  // null follows the room's chimes; custom starts from them.
  const [chimes, setChimes] = useState(timer?.chimes ?? null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => first.current?.focus(), []);

  const save = async (e: Event) => {
    e.preventDefault();
    const durationMs = mode === 'time-of-day' ? 0 : parseDuration(duration);
    if (durationMs === null) return setError('Duration: type minutes:seconds like 5:00, or 1:30:00, or 90s');
    const targetTime = mode === 'time-of-day' ? (fromZonedInput(target, room.timeZone, Date.now()) ?? null) : null;
    if (mode === 'time-of-day' && targetTime === null) return setError('Pick the time to count down to');
    const start = trigger === 'scheduled' ? (fromZonedInput(startAt, room.timeZone, Date.now()) ?? null) : null;
    if (trigger === 'scheduled' && start === null) return setError('Pick when the timer starts');
    const warnMs = optionalSeconds(warn);
    const dangerMs = optionalSeconds(danger);
    if (warnMs === undefined || dangerMs === undefined)
      return setError('Warning and danger are seconds (leave empty for the room default)');
    // A planned time keeps this cue's day; else it falls on the show's (the room's planned start), else today.
    const day = timer?.plannedStart ?? room.plannedStart ?? Date.now();
    const plannedStart = fromZonedInput(planned, room.timeZone, day);
    if (plannedStart === undefined) return setError('Planned start: a time like 09:30:00, or empty to follow on');
    const minDurationMs = isBuffer ? parseDuration(bufferMin) : 0;
    if (minDurationMs === null) return setError('Buffer minimum: type minutes:seconds like 2:00');
    if (isBuffer && minDurationMs > durationMs) return setError('A buffer’s minimum cannot exceed its duration');
    const fields = {
      label: label.trim(),
      durationMs,
      mode,
      targetTime,
      trigger,
      startAt: start,
      warnMs,
      dangerMs,
      chimes,
      notes,
      plannedStart,
      buffer: isBuffer ? { minDurationMs } : null,
    };
    setBusy(true);
    setError(null);
    const r = await run(
      timer ? { type: 'update-timer', timerId: timer.id, patch: fields } : { type: 'create-timer', timer: fields },
    );
    setBusy(false);
    if (r.ok) onClose();
    else setError(r.message);
  };

  return (
    <Modal labelledBy="editor-title" onClose={onClose}>
      <form class="kt-modal__box kt-form" onSubmit={save} data-testid="timer-editor">
        <h2 id="editor-title">{timer ? 'Edit timer' : 'Add a timer'}</h2>
        <label class="kt-field">
          Label
          <input
            ref={first}
            class="kt-input"
            value={label}
            maxLength={200}
            placeholder="e.g. Opening keynote"
            onInput={(e) => setLabel(e.currentTarget.value)}
            data-testid="editor-label"
          />
        </label>
        <div class="kt-form__row">
          <label class="kt-field">
            Mode
            <select
              class="kt-input"
              value={mode}
              onChange={(e) => setMode(e.currentTarget.value as TimerMode)}
              data-testid="editor-mode"
            >
              <option value="countdown">Countdown</option>
              <option value="countup">Count up</option>
              <option value="time-of-day">Count down to a time</option>
            </select>
          </label>
          {mode === 'time-of-day' ? (
            <label class="kt-field">
              Until ({room.timeZone.replace(/_/g, ' ')})
              <input
                class="kt-input"
                type="datetime-local"
                step={1}
                value={target}
                onInput={(e) => setTarget(e.currentTarget.value)}
                data-testid="editor-target"
              />
            </label>
          ) : (
            <label class="kt-field">
              {mode === 'countup' ? 'Limit (0:00 for none)' : 'Duration'}
              <input
                class="kt-input"
                value={duration}
                inputMode="numeric"
                placeholder="5:00"
                onInput={(e) => setDuration(e.currentTarget.value)}
                data-testid="editor-duration"
              />
            </label>
          )}
        </div>
        <div class="kt-form__row">
          <label class="kt-field">
            Starts
            <select
              class="kt-input"
              value={trigger}
              onChange={(e) => setTrigger(e.currentTarget.value as TimerTrigger)}
              data-testid="editor-trigger"
            >
              <option value="manual">When I press start</option>
              <option value="linked">When the previous one ends</option>
              <option value="scheduled">At a set time</option>
            </select>
          </label>
          {trigger === 'scheduled' ? (
            <label class="kt-field">
              Start at ({room.timeZone.replace(/_/g, ' ')})
              <input
                class="kt-input"
                type="datetime-local"
                step={1}
                value={startAt}
                onInput={(e) => setStartAt(e.currentTarget.value)}
                data-testid="editor-start-at"
              />
            </label>
          ) : null}
        </div>
        <div class="kt-form__row">
          <label class="kt-field">
            Warning at (s left)
            <input
              class="kt-input"
              value={warn}
              inputMode="numeric"
              placeholder={`${room.warnMs / 1000} (room)`}
              onInput={(e) => setWarn(e.currentTarget.value)}
              data-testid="editor-warn"
            />
          </label>
          <label class="kt-field">
            Danger at (s left)
            <input
              class="kt-input"
              value={danger}
              inputMode="numeric"
              placeholder={`${room.dangerMs / 1000} (room)`}
              onInput={(e) => setDanger(e.currentTarget.value)}
              data-testid="editor-danger"
            />
          </label>
        </div>
        <div class="kt-form__row">
          <label class="kt-field">
            Planned start ({room.timeZone}; empty follows on)
            <input
              class="kt-input"
              type="time"
              step={1}
              value={planned}
              onInput={(e) => setPlanned(e.currentTarget.value)}
              data-testid="editor-planned-start"
            />
          </label>
          <label class="kt-check">
            <input
              type="checkbox"
              checked={isBuffer}
              onChange={(e) => setIsBuffer(e.currentTarget.checked)}
              data-testid="editor-buffer"
            />
            Buffer: shrinks to absorb delays
          </label>
          {isBuffer ? (
            <label class="kt-field">
              Shortest it may get
              <input
                class="kt-input"
                value={bufferMin}
                inputMode="numeric"
                placeholder="2:00"
                onInput={(e) => setBufferMin(e.currentTarget.value)}
                data-testid="editor-buffer-min"
              />
            </label>
          ) : null}
        </div>
        <label class="kt-field">
          Notes (crew and presenter; never on the public countdown)
          <textarea
            class="kt-input"
            rows={3}
            maxLength={LIMITS.notes}
            value={notes}
            onInput={(e) => setNotes(e.currentTarget.value)}
            data-testid="editor-notes"
          />
        </label>
        <label class="kt-field">
          Chimes
          <select
            class="kt-input"
            value={chimes ? 'custom' : 'room'}
            onChange={(e) => setChimes(e.currentTarget.value === 'custom' ? { ...room.chimes } : null)}
            data-testid="editor-chimes"
          >
            <option value="room">Room default</option>
            <option value="custom">Custom</option>
          </select>
        </label>
        {chimes ? <ChimeFields value={chimes} onChange={setChimes} testid="editor-chime" /> : null}
        {error ? (
          <p class="kt-alert" role="alert" data-testid="editor-error">
            {error}
          </p>
        ) : null}
        <div class="kt-modal__actions">
          <button type="button" class="kt-btn" onClick={onClose} data-testid="editor-cancel">
            Cancel
          </button>
          <button type="submit" class="kt-btn kt-btn--primary" disabled={busy} data-testid="editor-save">
            {timer ? 'Save' : 'Add timer'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
