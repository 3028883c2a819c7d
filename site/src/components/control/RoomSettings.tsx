/** Room name and the default warning / danger thresholds. */
import { useEffect, useState } from 'preact/hooks';
// Link holders' views carry no owner id (core/rooms/wire.ts).
import type { RoomInfoView as RoomInfo } from '../../../../core/rooms/wire.ts';
import { errorText } from '../../lib/net/api.ts';
import { updateRoom } from '../../lib/rooms/api.ts';
import { ChimeFields } from './ChimeFields.tsx';

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
          const patch = {
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
        <ChimeFields value={chimes} onChange={setChimes} testid="settings-chime" />
        <button type="submit" class="kt-btn" data-testid="settings-save">
          Save settings
        </button>
      </form>
    </details>
  );
}
