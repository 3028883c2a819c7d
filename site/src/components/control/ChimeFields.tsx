/** The three "Chime at warning / danger / zero" checkboxes (room settings and a timer's custom override). */
import type { Chimes } from '../../../../core/rooms/timer.ts';

const KINDS = ['warning', 'danger', 'zero'] as const;

interface ChimeFieldsProps {
  value: Chimes;
  onChange: (next: Chimes) => void;
  /** data-testid prefix: `<prefix>-warning` and so on. */
  testid: string;
  disabled?: boolean;
}

export function ChimeFields({ value, onChange, testid, disabled }: ChimeFieldsProps) {
  return (
    <fieldset class="kt-chimes" disabled={disabled}>
      <legend>Chimes on viewers with sound on</legend>
      {KINDS.map((k) => (
        <label key={k} class="kt-check">
          <input
            type="checkbox"
            checked={value[k]}
            onChange={(e) => onChange({ ...value, [k]: e.currentTarget.checked })}
            data-testid={`${testid}-${k}`}
          />
          Chime at {k}
        </label>
      ))}
    </fieldset>
  );
}
