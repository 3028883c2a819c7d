/** Room name, the default warning / danger thresholds, chimes, the show's planned start and its time zone. */
import { useEffect, useState } from 'preact/hooks';
// Link holders' views carry no owner id (core/rooms/wire.ts).
import type { RoomInfoView as RoomInfo } from '../../../../core/rooms/wire.ts';
import { errorText } from '../../lib/net/api.ts';
import { updateRoom } from '../../lib/rooms/api.ts';
import { ChimeFields } from './ChimeFields.tsx';
import { dateTimeInputValue, fromZonedInput } from './schedule-frame.ts';
import { knownZone } from '../../../../core/rooms/duration-text.ts';

/** The zones the browser knows, for the time zone field's suggestions. */
const zones = (): string[] => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
};

interface RoomSettingsProps {
  room: RoomInfo;
  notify: (text: string, tone?: 'error' | 'info') => void;
}

/** Owner only. Saved over HTTP (PUT /api/rooms/:id), which also renames the room in My rooms. */
export function RoomSettings({ room, notify }: RoomSettingsProps) {
  const [name, setName] = useState(room.name);
  const [warn, setWarn] = useState(String(room.warnMs / 1000));
  const [danger, setDanger] = useState(String(room.dangerMs / 1000));
  const [chimes, setChimes] = useState(room.chimes);
  const [zone, setZone] = useState(room.timeZone);
  const [planned, setPlanned] = useState(dateTimeInputValue(room.plannedStart, room.timeZone));
  useEffect(() => {
    setZone(room.timeZone);
    setPlanned(dateTimeInputValue(room.plannedStart, room.timeZone));
  }, [room.timeZone, room.plannedStart]);
  useEffect(() => setChimes(room.chimes), [room.chimes.warning, room.chimes.danger, room.chimes.zero]);
  useEffect(() => {
    setName(room.name);
    setWarn(String(room.warnMs / 1000));
    setDanger(String(room.dangerMs / 1000));
  }, [room.name, room.warnMs, room.dangerMs]);
  const secs = (s: string) =>
    Number.isFinite(Number(s)) && Number(s) >= 0 && s.trim() !== '' ? Math.round(Number(s) * 1000) : null;
  return (
    <details class="kt-card ctl-settings">
      <summary>Room settings</summary>
      <form
        class="kt-form"
        onSubmit={(e) => {
          e.preventDefault();
          const w = secs(warn);
          const d = secs(danger);
          const timeZone = zone.trim() || room.timeZone;
          if (!knownZone(timeZone)) return notify(`Unknown time zone: ${timeZone} (e.g. Europe/Paris)`);
          // The planned start is read in the zone being saved.
          const plannedStart = fromZonedInput(planned, timeZone, room.plannedStart ?? Date.now());
          if (plannedStart === undefined) return notify('Planned start: pick a date and time, or leave it empty');
          const patch = {
            timeZone,
            plannedStart,
            name: name.trim() || room.name,
            ...(w !== null ? { warnMs: w } : {}),
            ...(d !== null ? { dangerMs: d } : {}),
            chimes,
          };
          updateRoom(room.id, patch).then(
            () => notify('Saved', 'info'),
            (err) => notify(errorText(err)),
          );
        }}
      >
        <label class="kt-field">
          Name
          <input
            class="kt-input"
            value={name}
            maxLength={120}
            onInput={(e) => setName(e.currentTarget.value)}
            data-testid="settings-name"
          />
        </label>
        <div class="kt-form__row">
          <label class="kt-field">
            Warning at (s left)
            <input
              class="kt-input"
              value={warn}
              inputMode="numeric"
              onInput={(e) => setWarn(e.currentTarget.value)}
              data-testid="settings-warn"
            />
          </label>
          <label class="kt-field">
            Danger at (s left)
            <input
              class="kt-input"
              value={danger}
              inputMode="numeric"
              onInput={(e) => setDanger(e.currentTarget.value)}
              data-testid="settings-danger"
            />
          </label>
        </div>
        <div class="kt-form__row">
          <label class="kt-field">
            Show planned start (empty: when it starts)
            <input
              class="kt-input"
              type="datetime-local"
              step={1}
              value={planned}
              onInput={(e) => setPlanned(e.currentTarget.value)}
              data-testid="settings-planned-start"
            />
          </label>
          <label class="kt-field">
            Time zone
            <input
              class="kt-input"
              value={zone}
              list="kt-zones"
              onInput={(e) => setZone(e.currentTarget.value)}
              data-testid="settings-time-zone"
            />
            <datalist id="kt-zones">
              {zones().map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </label>
        </div>
        <ChimeFields value={chimes} onChange={setChimes} testid="settings-chime" />
        <button type="submit" class="kt-btn" data-testid="settings-save">
          Save settings
        </button>
      </form>
    </details>
  );
}
