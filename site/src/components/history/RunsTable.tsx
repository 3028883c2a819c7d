/** Past timer runs, newest first: planned vs actual, overtime, when, and who was in control. */
import { type TimerRun, actualMs, hasOvertime, runStatusText, spanText } from '../../lib/rooms/history.ts';
import { when } from '../../lib/clock/when.ts';
import { RoleChip } from './RoleChip.tsx';

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
            <th>Started</th>
            <th>Ended</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const open = r.status === 'running' || r.status === 'paused';
            const end = r.endedAt ?? r.finishedAt;
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
                <td data-testid="run-started">{when(r.startedAt)}</td>
                <td data-testid="run-ended">{end === null ? '—' : when(end)}</td>
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
