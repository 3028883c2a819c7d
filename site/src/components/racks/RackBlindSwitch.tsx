/**
 * A rack's blind-counting setting: follow the floor, blind, or not blind. Three native radios in a named group
 * (arrow keys move between them); the choice is saved at once, like the floor's switch. The group is never
 * disabled while saving (focus would drop out of it); the choice shows at once and a change meanwhile waits.
 */
import { useState } from 'preact/hooks';

type Setting = 'inherit' | 'on' | 'off';

const settingOf = (blind: boolean | null | undefined): Setting =>
  blind === true ? 'on' : blind === false ? 'off' : 'inherit';
const blindOf = (s: Setting): boolean | null => (s === 'on' ? true : s === 'off' ? false : null);

interface RackBlindSwitchProps {
  rackId: string;
  /** The rack's own setting; null or absent follows the floor. */
  blind: boolean | null | undefined;
  floorBlind: boolean;
  busy: boolean;
  /** Saves the setting; settles when the answer is in. */
  onChange: (blind: boolean | null) => Promise<unknown>;
}

export function RackBlindSwitch({ rackId, blind, floorBlind, busy, onChange }: RackBlindSwitchProps) {
  const [pending, setPending] = useState<Setting | null>(null);
  const now = pending ?? settingOf(blind);
  const effective = pending ? (blindOf(pending) ?? floorBlind) : (blind ?? floorBlind);
  const choose = (s: Setting) => {
    if (busy || pending) return;
    setPending(s);
    void onChange(blindOf(s)).finally(() => setPending(null));
  };
  const hint = `kt-blind-hint-${rackId}`;
  const options: Array<{ value: Setting; label: string }> = [
    { value: 'inherit', label: `Floor's setting (${floorBlind ? 'blind' : 'not blind'})` },
    { value: 'on', label: 'Blind' },
    { value: 'off', label: 'Not blind' },
  ];
  return (
    <fieldset
      class="kt-seg"
      data-testid="wh-rack-blind"
      data-value={now}
      data-effective={effective ? 'blind' : 'open'}
      aria-describedby={hint}
      aria-busy={pending ? 'true' : undefined}
    >
      <legend>Blind counting</legend>
      <div class="kt-seg__options">
        {options.map((o) => (
          <label key={o.value} class={`kt-seg__option${now === o.value ? ' is-on' : ''}`}>
            <input
              type="radio"
              name={`kt-blind-${rackId}`}
              value={o.value}
              data-testid={`wh-rack-blind-${o.value}`}
              checked={now === o.value}
              onChange={() => choose(o.value)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      <p id={hint} class="kt-muted kt-seg__hint">
        {effective
          ? 'Counters of this rack never see expected quantities.'
          : 'Counters of this rack see the expected quantities.'}
      </p>
    </fieldset>
  );
}
