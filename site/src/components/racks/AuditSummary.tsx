/** The end of an audit: what the server's summary says (expected vs scanned, missing, unexpected, duplicates). */
import { isNum, isStr } from '../../lib/net/guards.ts';
import { StatTile } from '../common/StatTile.tsx';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter(isStr) : []);
/** A blind audit's counts: what was counted, never what was expected. */
const counted = (v: unknown): { item_code: string; counted_qty: number }[] =>
  Array.isArray(v)
    ? v.filter(
        (x): x is { item_code: string; counted_qty: number } =>
          typeof x === 'object' && x !== null && isStr(x.item_code) && isNum(x.counted_qty),
      )
    : [];
const STATUS: Record<string, string> = {
  posted: 'Posted',
  needs_review: 'Sent for review: a supervisor checks the differences',
  recount: 'Waiting for a recount',
};
const num = (v: unknown): number | null => (isNum(v) ? v : null);

export function AuditSummary({ summary, onNext }: { summary: Record<string, unknown> | null; onNext: () => void }) {
  const missing = list(summary?.missing);
  const unexpected = list(summary?.unexpected);
  const dupes = Array.isArray(summary?.duplicate_serials) ? summary.duplicate_serials.length : 0;
  return (
    <section class="kt-summary" data-testid="audit-summary">
      <h1>{summary ? (summary.mode === 'recount' ? 'Recount complete' : 'Audit complete') : 'Rack released'}</h1>
      {summary && isStr(summary.audit_status) ? (
        <p
          class={`kt-audit-badge kt-audit-badge--${summary.audit_status}`}
          data-testid="summary-status"
          data-status={summary.audit_status}
        >
          {STATUS[summary.audit_status] ?? summary.audit_status}
        </p>
      ) : null}
      {summary && summary.blind === true ? (
        <>
          <div class="kt-stats">
            <StatTile id="scanned" label="Scanned" value={num(summary.scanned_total)} />
            <StatTile id="items" label="Items" value={num(summary.total_items)} />
          </div>
          <ul class="kt-summary__counted" data-testid="summary-counted">
            {counted(summary.counted).map((c) => (
              <li key={c.item_code} data-item={c.item_code}>
                {c.item_code}: {c.counted_qty}
              </li>
            ))}
          </ul>
        </>
      ) : summary ? (
        <>
          <div class="kt-stats">
            <StatTile id="expected" label="Expected" value={num(summary.expected_total)} />
            <StatTile id="scanned" label="Scanned" value={num(summary.scanned_total)} />
            <StatTile
              id="missing"
              label="Missing"
              value={missing.length}
              tone={missing.length > 0 ? 'bad' : undefined}
            />
            <StatTile id="unexpected" label="Unexpected" value={unexpected.length} />
            <StatTile id="duplicates" label="Duplicate serials" value={dupes} />
          </div>
          {missing.length > 0 ? <p data-testid="summary-missing">Missing: {missing.join(', ')}</p> : null}
          {unexpected.length > 0 ? (
            <p class="kt-muted" data-testid="summary-unexpected">
              Unexpected: {unexpected.slice(0, 20).join(', ')}
              {unexpected.length > 20 ? ` and ${unexpected.length - 20} more` : ''}
            </p>
          ) : null}
        </>
      ) : (
        <p class="kt-muted">The rack is free for someone else.</p>
      )}
      <button type="button" class="kt-btn kt-btn--primary kt-btn--big" data-testid="next-rack" onClick={onNext}>
        Audit another rack
      </button>
    </section>
  );
}
