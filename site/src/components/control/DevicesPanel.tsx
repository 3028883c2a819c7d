/** Every connected screen: role, device, and its clock offset and round-trip time. */
import type { OffsetEstimate } from '../../../../core/clock-sync.ts';
import type { ClockSync } from '../../lib/clock/clock-sync.ts';
import type { Device } from '../../lib/rooms/messages.ts';
import { useObservable } from '../common/hooks.ts';

const ms = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${v.toFixed(1)} ms`);
const since = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function DevicesPanel({ devices, clock }: { devices: Device[]; clock: ClockSync }) {
  const mine = useObservable<OffsetEstimate | null>(
    { subscribe: (fn) => (fn(clock.estimate()), clock.subscribe(fn)) },
    null,
  );
  const order = { owner: 0, controller: 1, viewer: 2 } as Record<string, number>;
  const sorted = [...devices].sort(
    (a, b) => (order[a.role] ?? 3) - (order[b.role] ?? 3) || a.connectedAt - b.connectedAt,
  );
  return (
    <section class="kt-card ctl-devices" aria-label="Connected devices">
      <h2>
        Connected devices <span class="ctl-devices__n">{devices.length}</span>
      </h2>
      {sorted.length === 0 ? (
        <p class="kt-muted">Nobody is connected yet.</p>
      ) : (
        <div class="ctl-devices__scroll">
          <table class="ctl-table" data-testid="devices">
            <thead>
              <tr>
                <th>Device</th>
                <th class="num">Offset</th>
                <th class="num">RTT</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((d) => (
                <tr
                  key={d.sid}
                  data-testid="device-row"
                  data-role={d.role}
                  title={`Connected at ${since(d.connectedAt)}`}
                >
                  <td class="ctl-table__device">
                    <span class={`ctl-role ctl-role--${d.role}`}>{d.role}</span>
                    <span class="ctl-table__name">{d.device ?? 'unknown device'}</span>
                  </td>
                  <td class="num" data-testid="device-offset">
                    {ms(d.offsetMs)}
                  </td>
                  <td class="num" data-testid="device-rtt">
                    {d.rttMs === null ? '—' : `${d.rttMs.toFixed(1)} ms`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="kt-muted ctl-devices__mine" data-testid="my-clock">
        This screen:{' '}
        {mine
          ? `offset ${ms(mine.offsetMs)}, RTT ${mine.rttMs.toFixed(1)} ms (${mine.samples} samples)`
          : 'measuring clock…'}
      </p>
    </section>
  );
}
