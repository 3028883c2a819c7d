/** One rack in the warehouse admin: its expected items (one "CODE qty" per line) and removal. */
import { useEffect, useState } from 'preact/hooks';
import {
  type Layout,
  type LayoutRack,
  expectedText,
  parseExpected,
  removeRack,
  setExpected,
  setRackBlind,
} from '../../lib/racks/warehouse.ts';
import { RackBlindSwitch } from './RackBlindSwitch.tsx';

interface WarehouseRackProps {
  rack: LayoutRack;
  open: boolean;
  busy: boolean;
  /** The floor's blind setting, which the rack follows unless it has its own. */
  floorBlind: boolean;
  onToggle: () => void;
  run: (what: () => Promise<Layout>, done: string) => Promise<boolean>;
}

export function WarehouseRack({ rack, open, busy, floorBlind, onToggle, run }: WarehouseRackProps) {
  const [text, setText] = useState(expectedText(rack.expected));
  const [confirm, setConfirm] = useState(false);
  useEffect(() => setText(expectedText(rack.expected)), [rack.expected]);
  const parsed = parseExpected(text);

  const save = (e: Event) => {
    e.preventDefault();
    if ('items' in parsed)
      void run(
        () => setExpected(rack.rack_id, parsed.items),
        `Rack ${rack.rack_id}: ${parsed.items.length} expected items saved`,
      );
  };

  const blind = rack.blind_effective ?? rack.blind ?? floorBlind;
  const setBlind = (to: boolean | null) =>
    run(
      () => setRackBlind(rack.rack_id, to),
      to === null
        ? `Rack ${rack.rack_id} follows the floor's blind setting`
        : `Rack ${rack.rack_id}: blind counting ${to ? 'on' : 'off'}`,
    );

  return (
    <li class={`kt-warehouse__rack${open ? ' is-open' : ''}`} data-testid={`wh-rack-${rack.rack_id}`}>
      <button type="button" class="kt-warehouse__rackhead" aria-expanded={open} onClick={onToggle}>
        <strong>{rack.rack_id}</strong>
        <span class="kt-muted" data-testid="wh-rack-estimate">
          {rack.expected.length} items · ~{rack.item_estimate} units
        </span>
        {blind ? (
          <span
            class="kt-warehouse__tag"
            data-testid="wh-rack-blind-tag"
            data-from={rack.blind == null ? 'floor' : 'rack'}
          >
            {rack.blind == null ? 'Blind (floor)' : 'Blind'}
          </span>
        ) : null}
      </button>
      {open ? (
        <RackBlindSwitch
          rackId={rack.rack_id}
          blind={rack.blind}
          floorBlind={floorBlind}
          busy={busy}
          onChange={setBlind}
        />
      ) : null}
      {open ? (
        <form class="kt-warehouse__expected" onSubmit={save}>
          <label class="kt-field">
            <span>Expected items, one per line: code then quantity</span>
            <textarea
              class="kt-input"
              rows={Math.min(12, Math.max(4, rack.expected.length + 2))}
              data-testid="wh-expected"
              spellcheck={false}
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          </label>
          {'error' in parsed ? (
            <p class="kt-alert kt-alert--warn" data-testid="wh-expected-error">
              {parsed.error}
            </p>
          ) : null}
          <div class="kt-warehouse__actions">
            <button
              type="submit"
              class="kt-btn kt-btn--primary kt-btn--big"
              data-testid="wh-save-expected"
              disabled={busy || 'error' in parsed}
            >
              Save items
            </button>
            {confirm ? (
              <button
                type="button"
                class="kt-btn kt-btn--big kt-btn--danger"
                data-testid="wh-remove-confirm"
                disabled={busy}
                onClick={() => void run(() => removeRack(rack.rack_id), `Rack ${rack.rack_id} removed`)}
              >
                Really remove {rack.rack_id}
              </button>
            ) : (
              <button
                type="button"
                class="kt-btn kt-btn--ghost kt-btn--big"
                data-testid="wh-remove"
                disabled={busy}
                onClick={() => setConfirm(true)}
              >
                Remove rack
              </button>
            )}
          </div>
        </form>
      ) : null}
    </li>
  );
}
