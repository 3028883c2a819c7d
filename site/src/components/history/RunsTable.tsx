/** Past timer runs, newest first: planned vs actual (length and start), overtime, over/under, when, and who. */
import { type TimerRun, actualMs, hasOvertime, runStatusText, spanText } from '../../lib/rooms/history.ts';
import { when } from '../../lib/clock/when.ts';
import { RoleChip } from './RoleChip.tsx';

/** "+2:15 behind" / "−0:30 ahead" / "On time" (whole seconds), or null without a plan. */
function versusPlan(ms: number | null | undefined): { text: string; tone: 'behind' | 'ahead' | 'on-time' } | null {
  if (ms === null || ms === undefined) return null;
  const s = Math.round(Math.abs(ms) / 1000) * 1000;
  if (s === 0) return { text: 'On time', tone: 'on-time' };
  return ms > 0
    ? { text: `+${spanText(s)} behind`, tone: 'behind' }
    : { text: `\u2212${spanText(s)} ahead`, tone: 'ahead' };
}

export function RunsTable({ runs }: { runs: TimerRun[] }) {
  if (runs.length === 0) {
    return (
      <p class="kt-muted" data-testid="runs-empty">
        No timer runs yet. Start a timer on the Live tab: its run shows up here a moment later.
      </p>
    );
  }
  return (
    <div class="kt-table-scroll">
      <table class="kt-table" data-testid="runs">
        <thead>
          <tr>
            <th>Timer</th>
            <th class="num">Planned</th>
            <th class="num">Actual</th>
            <th class="num">Over</th>
            <th>Planned start</th>
            <th>Started</th>
            <th>Ended</th>
            <th>Vs plan</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const open = r.status === 'running' || r.status === 'paused';
            const end = r.endedAt ?? r.finishedAt;
            const plan = versusPlan(r.overUnderMs);
            return (
              <tr key={r.id} data-testid="run-row" data-status={r.status} data-timer-id={r.timerId}>
                <td class="kt-table__main">
                  <span data-testid="run-label">{r.label}</span>
                  <span class={`hist-status hist-status--${r.status}`} data-testid="run-status">
                    {runStatusText(r)}
                  </span>
                </td>
                <td class="num" data-testid="run-planned">
                  {r.plannedMs > 0 ? spanText(r.plannedMs) : '—'}
                </td>
                <td class="num" data-testid="run-actual" title={open ? 'So far' : undefined}>
                  {spanText(actualMs(r))}
                  {open ? '…' : ''}
                </td>
                <td class={hasOvertime(r.overtimeMs) ? 'num hist-over' : 'num kt-muted'} data-testid="run-overtime">
                  {hasOvertime(r.overtimeMs) ? `+${spanText(r.overtimeMs)}` : '—'}
                </td>
                <td class="kt-muted" data-testid="run-planned-start">
                  {r.plannedStart == null ? '—' : when(r.plannedStart)}
                </td>
                <td data-testid="run-started">{when(r.startedAt)}</td>
                <td data-testid="run-ended">{end === null ? '—' : when(end)}</td>
                <td
                  class={plan?.tone === 'behind' ? 'hist-over' : 'kt-muted'}
                  data-testid="run-vs-plan"
                  data-tone={plan?.tone ?? 'none'}
                  title={open ? 'Projected' : undefined}
                >
                  {plan ? plan.text : '—'}
                </td>
                <td class="hist-by" data-testid="run-by">
                  <RoleChip role={r.startedByRole} />
                  {r.endedByRole && r.endedByRole !== r.startedByRole ? (
                    <>
                      <span class="kt-muted"> → </span>
                      <RoleChip role={r.endedByRole} />
                    </>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
