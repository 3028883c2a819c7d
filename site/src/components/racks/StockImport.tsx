/**
 * Expected stock in and out, for admins: a CSV (rack, item_code, description,
 * expected_qty, serials; optional floor) is previewed with its per-row
 * errors, then applied as a merge or a replace; audit results export as CSV
 * for a date range.
 */
import { useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import {
  type ImportAnswer,
  type ImportRowError,
  MAX_IMPORT_BYTES,
  exportHref,
  importStock,
} from '../../lib/racks/stock.ts';

interface StockImportProps {
  /** After an apply: the layout changed. */
  onApplied: () => void;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const TEMPLATE = 'rack,item_code,description,expected_qty,serials\n';

export function StockImport({ onApplied }: StockImportProps) {
  const [csv, setCsv] = useState('');
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [preview, setPreview] = useState<ImportAnswer | null>(null);
  const [errors, setErrors] = useState<ImportRowError[]>([]);
  const [done, setDone] = useState<ImportAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [from, setFrom] = useState(() => day(new Date(Date.now() - 7 * 86_400_000)));
  const [to, setTo] = useState(() => day(new Date()));

  const edit = (text: string) => {
    setCsv(text);
    setPreview(null);
    setErrors([]);
    setDone(null);
    setProblem(null);
  };
  const readFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) return setProblem('The file is over 2 MB: split it into smaller files');
    edit(await file.text());
  };
  const run = async (dryRun: boolean) => {
    setBusy(true);
    setProblem(null);
    try {
      const a = await importStock(csv, mode, dryRun);
      if ('refused' in a) {
        setErrors(a.errors);
        setPreview(null);
      } else if (dryRun) {
        setErrors(a.errors);
        setPreview(a);
        setDone(null);
      } else {
        setDone(a);
        setPreview(null);
        onApplied();
      }
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  // A preview with row errors shows only the errors: nothing of it can be applied.
  const shown = done ?? (errors.length > 0 ? null : preview);
  return (
    <section class="kt-stock" data-testid="stock" aria-labelledby="kt-stock-title">
      <h2 id="kt-stock-title">Expected stock from CSV</h2>
      <p class="kt-muted">
        Columns: <code>rack,item_code,description,expected_qty,serials</code> (and <code>floor</code> for new racks).
        Serials are separated by <code>|</code>. A rack under an active lease takes the change at its next claim.
      </p>
      <div class="kt-stock__row">
        <input
          type="file"
          accept=".csv,text/csv"
          data-testid="stock-file"
          aria-label="CSV file"
          onChange={(e) => void readFile(e.currentTarget.files?.[0])}
        />
      </div>
      <textarea
        class="kt-input"
        data-testid="stock-csv"
        aria-label="CSV text"
        placeholder={TEMPLATE}
        value={csv}
        onInput={(e) => edit(e.currentTarget.value)}
      />
      <div class="kt-stock__row" role="radiogroup" aria-label="How to apply">
        {(['merge', 'replace'] as const).map((m) => (
          <label key={m}>
            <input
              type="radio"
              name="kt-stock-mode"
              data-testid={`stock-mode-${m}`}
              checked={mode === m}
              onChange={() => {
                setMode(m);
                setPreview(null);
                setDone(null);
              }}
            />{' '}
            {m === 'merge'
              ? 'Merge: update listed items, keep the rest'
              : 'Replace: each listed rack holds exactly these'}
          </label>
        ))}
      </div>
      <div class="kt-stock__row">
        <button
          type="button"
          class="kt-btn kt-btn--big"
          data-testid="stock-preview"
          disabled={busy || !csv.trim()}
          onClick={() => void run(true)}
        >
          Preview
        </button>
        <button
          type="button"
          class="kt-btn kt-btn--primary kt-btn--big"
          data-testid="stock-apply"
          disabled={busy || !preview || preview.errors.length > 0 || errors.length > 0}
          onClick={() => void run(false)}
        >
          Apply {mode}
        </button>
      </div>
      {problem ? (
        <p class="kt-alert kt-alert--warn" role="alert" data-testid="stock-problem">
          {problem}
        </p>
      ) : null}
      {errors.length > 0 ? (
        <div role="alert" data-testid="stock-errors" data-count={errors.length}>
          <p>
            <strong>
              {errors.length} {errors.length === 1 ? 'row needs' : 'rows need'} fixing; nothing was applied.
            </strong>
          </p>
          <ul class="kt-stock__errors">
            {errors.slice(0, 50).map((e) => (
              <li key={`${e.row}-${e.column ?? ''}-${e.message}`} data-testid="stock-error" data-row={e.row}>
                Row {e.row}
                {e.column ? ` (${e.column})` : ''}: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {shown ? (
        <div
          data-testid={done ? 'stock-done' : 'stock-summary'}
          data-changed={shown.changed}
          data-racks={shown.racks.length}
          role="status"
        >
          <p>
            {done ? 'Applied' : 'Preview'}: {shown.rows} {shown.rows === 1 ? 'row' : 'rows'}, {shown.racks.length}{' '}
            {shown.racks.length === 1 ? 'rack' : 'racks'}, {shown.changed} changed
            {shown.floors_created.length > 0 ? `, new floors ${shown.floors_created.join(', ')}` : ''}.
          </p>
          <ul class="kt-stock__racks">
            {shown.racks.slice(0, 30).map((r) => (
              <li key={r.rack_id} data-testid="stock-rack" data-rack={r.rack_id} data-status={r.status}>
                {r.rack_id} ({r.floor}): {r.status}, {r.items} items, {r.expected_total} expected
                {r.deferred ? ' · at its next claim (held now)' : ''}
              </li>
            ))}
          </ul>
          {shown.racks.length > 30 ? <p class="kt-muted">and {shown.racks.length - 30} more racks</p> : null}
        </div>
      ) : null}

      <h2>Export audit results</h2>
      <div class="kt-stock__row">
        <label class="kt-field">
          <span>From</span>
          <input
            class="kt-input"
            type="date"
            data-testid="export-from"
            value={from}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </label>
        <label class="kt-field">
          <span>To</span>
          <input
            class="kt-input"
            type="date"
            data-testid="export-to"
            value={to}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        </label>
        <a class="kt-btn kt-btn--big" data-testid="export-csv" href={exportHref(from, to)} download>
          Download CSV
        </a>
      </div>
    </section>
  );
}
