/** The action journal, newest first: every control command, when, by whom, on which timer. */
import { type RoomAction, actionDetail, commandText } from '../../lib/rooms/history.ts';
import { when } from '../../lib/clock/when.ts';
import { RoleChip } from './RoleChip.tsx';

export function ActionsTable({ actions, labels }: { actions: RoomAction[]; labels: Map<string, string> }) {
  if (actions.length === 0) {
    return (
      <p class="kt-muted" data-testid="actions-empty">
        No commands yet. Every start, pause, nudge and message is journaled here.
      </p>
    );
  }
  return (
    <div class="kt-table-scroll">
      <table class="kt-table" data-testid="actions">
        <thead>
          <tr>
            <th>Time</th>
            <th>Command</th>
            <th>Timer</th>
            <th>By</th>
            <th class="num">Version</th>
          </tr>
        </thead>
        <tbody>
          {actions.map((a) => {
            const detail = actionDetail(a);
            return (
              <tr key={a.id} data-testid="action-row" data-command={a.command}>
                <td data-testid="action-at">{when(a.at)}</td>
                <td class="kt-table__main">
                  <span class="hist-command" data-testid="action-command">
                    {commandText(a.command)}
                  </span>
                  {detail ? <span class="kt-muted hist-detail"> {detail}</span> : null}
                </td>
                <td data-testid="action-timer">
                  {a.timerId ? (labels.get(a.timerId) ?? a.timerId.slice(0, 8)) : <span class="kt-muted">—</span>}
                </td>
                <td>
                  <RoleChip role={a.actorRole} testid="action-role" />
                </td>
                <td class="num kt-muted">{a.version ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
