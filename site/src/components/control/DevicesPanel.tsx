/**
 * Every screen the room knows: connected ones first (role, name, health, clock offset and round trip), then those
 * offline now, each with when it was last seen. Owners and controllers can rename a device, flash its screen to
 * identify it, reload it or disconnect it; each action is a socket command with an id.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { OffsetEstimate } from '../../../../core/clock-sync.ts';
import { DEVICES, isQuiet } from '../../../../core/rooms/devices.ts';
import type { ClockSync } from '../../lib/clock/clock-sync.ts';
import type { Device } from '../../lib/rooms/messages.ts';
import type { RunCommand } from '../../lib/rooms/store.ts';
import { ConfirmButton } from '../common/ConfirmButton.tsx';
import { useObservable } from '../common/hooks.ts';

const ms = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${v.toFixed(1)} ms`);
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
/** A last-seen time in local time: with the weekday when it was not in the last 12 hours. */
const seenAt = (at: number, now: number) => (now - at < 12 * 3_600_000 ? timeFormat : dayFormat).format(new Date(at));
/** How often the panel re-checks which devices went quiet (the server sends changes only). */
const RECHECK_MS = 5_000;

const ROLE_ORDER: Record<string, number> = { owner: 0, controller: 1, viewer: 2 };

/** The health marks of one device, as words (colour is only a second cue). */
function marks(d: Device, now: number): Array<{ kind: string; text: string }> {
  if (!d.online) return [{ kind: 'offline', text: 'Offline' }];
  const out = [{ kind: 'online', text: 'Online' }];
  if (d.quiet || isQuiet(d.lastSeenAt, now)) out.push({ kind: 'quiet', text: 'Quiet' });
  if (d.poorSync) out.push({ kind: 'poor', text: 'Poor sync' });
  return out;
}

interface DevicesPanelProps {
  devices: Device[];
  clock: ClockSync;
  run: RunCommand;
}

export function DevicesPanel({ devices, clock, run }: DevicesPanelProps) {
  const mine = useObservable<OffsetEstimate | null>(
    { subscribe: (fn) => (fn(clock.estimate()), clock.subscribe(fn)) },
    null,
  );
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    const t = setInterval(() => setNow(clock.now()), RECHECK_MS);
    return () => clearInterval(t);
  }, [clock]);
  useEffect(() => setNow(clock.now()), [devices]);
  const [status, setStatus] = useState('');

  const online = devices
    .filter((d) => d.online)
    .sort(
      (a, b) => (ROLE_ORDER[a.role] ?? 3) - (ROLE_ORDER[b.role] ?? 3) || (a.connectedAt ?? 0) - (b.connectedAt ?? 0),
    );
  const offline = devices.filter((d) => !d.online).sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  const act = async (what: string, cmd: Parameters<RunCommand>[0]) => {
    setStatus(`${what}…`);
    const r = await run(cmd);
    setStatus(r.ok ? `${what}: done` : `${what}: ${r.message}`);
  };

  return (
    <section class="kt-card ctl-devices" aria-label="Devices">
      <h2>
        Devices <span class="ctl-devices__n">{online.length}</span>
      </h2>
      {devices.length === 0 ? (
        <p class="kt-muted">Nobody is connected yet.</p>
      ) : (
        <div class="ctl-devices__scroll">
          <table class="ctl-table ctl-dev" data-testid="devices">
            <thead>
              <tr>
                <th>Device</th>
                <th>Status</th>
                <th>Last seen</th>
                <th class="num">Offset</th>
                <th class="num">RTT</th>
              </tr>
            </thead>
            <tbody>
              {[...online, ...offline].map((d) => (
                <DeviceRow key={d.sid} d={d} now={now} act={act} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="kt-muted ctl-dev__status" role="status" data-testid="devices-status">
        {status}
      </p>
      <p class="kt-muted ctl-devices__mine" data-testid="my-clock">
        This screen:{' '}
        {mine
          ? `offset ${ms(mine.offsetMs)}, RTT ${mine.rttMs.toFixed(1)} ms (${mine.samples} samples)`
          : 'measuring clock…'}
      </p>
    </section>
  );
}

function DeviceRow({
  d,
  now,
  act,
}: {
  d: Device;
  now: number;
  act: (what: string, cmd: Parameters<RunCommand>[0]) => Promise<void>;
}) {
  const [renaming, setRenaming] = useState(false);
  const label = d.name ?? d.device ?? 'Unnamed device';
  const id = d.deviceId;
  const m = marks(d, now);
  return (
    <tr
      data-testid="device-row"
      data-role={d.role}
      data-device-id={id ?? ''}
      data-online={String(d.online)}
      data-quiet={String(m.some((x) => x.kind === 'quiet'))}
      data-poor-sync={String(d.poorSync)}
    >
      <td class="ctl-table__device">
        <span class={`ctl-role ctl-role--${d.role}`}>{d.role}</span>
        {renaming && id ? (
          <RenameForm
            initial={d.name ?? ''}
            onCancel={() => setRenaming(false)}
            onSave={(name) => {
              setRenaming(false);
              void act(`Rename ${label}`, { type: 'rename-device', deviceId: id, name });
            }}
          />
        ) : (
          <span class="ctl-dev__label" data-testid="device-name" title={label}>
            {label}
          </span>
        )}
        {d.name && d.device ? <span class="ctl-table__name">{d.device}</span> : null}
        {id ? (
          <div class="ctl-dev__actions">
            <button
              type="button"
              class="kt-btn kt-btn--small"
              data-testid="device-rename"
              onClick={() => setRenaming(true)}
              disabled={renaming}
            >
              Rename
            </button>
            <button
              type="button"
              class="kt-btn kt-btn--small"
              data-testid="device-identify"
              disabled={!d.online}
              onClick={() => void act(`Identify ${label}`, { type: 'identify-device', deviceId: id })}
            >
              Identify
            </button>
            <button
              type="button"
              class="kt-btn kt-btn--small"
              data-testid="device-reload"
              disabled={!d.online}
              onClick={() => void act(`Reload ${label}`, { type: 'reload-device', deviceId: id })}
            >
              Reload
            </button>
            <ConfirmButton
              testid="device-disconnect"
              class="kt-btn--small"
              confirmText="Really disconnect?"
              disabled={!d.online}
              onConfirm={() => void act(`Disconnect ${label}`, { type: 'disconnect-device', deviceId: id })}
            >
              Disconnect
            </ConfirmButton>
          </div>
        ) : null}
      </td>
      <td class="ctl-dev__marks" data-testid="device-marks">
        {m.map((x) => (
          <span key={x.kind} class={`ctl-dev__mark ctl-dev__mark--${x.kind}`} data-mark={x.kind}>
            {x.text}
          </span>
        ))}
      </td>
      <td data-testid="device-seen">
        <time dateTime={new Date(d.lastSeenAt).toISOString()}>{seenAt(d.lastSeenAt, now)}</time>
      </td>
      <td class="num" data-testid="device-offset">
        {ms(d.offsetMs)}
      </td>
      <td class="num" data-testid="device-rtt">
        {d.rttMs === null ? '—' : `${d.rttMs.toFixed(1)} ms`}
      </td>
    </tr>
  );
}

/** The inline rename form: Enter saves, Escape cancels; an empty name clears it. */
function RenameForm({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (name: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <form
      class="ctl-dev__rename"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(value);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <input
        ref={input}
        class="kt-input"
        data-testid="device-name-input"
        aria-label="Device name"
        maxLength={DEVICES.nameMax}
        value={value}
        onInput={(e) => setValue((e.target as HTMLInputElement).value)}
      />
      <button type="submit" class="kt-btn kt-btn--small" data-testid="device-rename-save">
        Save
      </button>
      <button type="button" class="kt-btn kt-btn--small" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
