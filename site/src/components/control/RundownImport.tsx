/**
 * Rundown import and export for the control panel: a native modal <dialog> (focus stays inside, Escape closes,
 * focus returns to the opener) with a paste area or a file, a live preview parsed by the same core code the server
 * runs, replace or append, and one Apply (an Idempotency-Key per attempt); plus the Export CSV link.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatDuration } from '../../../../core/rooms/duration-text.ts';
import {
  RUNDOWN_CSV_MAX_BYTES,
  type RowError,
  type TimerDefinition,
  capacityErrors,
  parseRundownCsv,
  rundownTemplate,
} from '../../../../core/rooms/rundown-csv.ts';
import type { RoomInfoView } from '../../../../core/rooms/wire.ts';
import { ApiError, api, errorText } from '../../lib/net/api.ts';
import { isRec } from '../../lib/net/guards.ts';
import { newId } from '../../lib/net/id.ts';

interface RundownImportProps {
  room: RoomInfoView;
  /** Timers in the room now (the cap applies to append). */
  count: number;
  /** The controller link this panel was opened with, or null for the owner's account. */
  token: string | null;
  notify: (text: string) => void;
}

type Mode = 'replace' | 'append';
const isApplied = (v: unknown): v is { applied: true; timers: unknown[] } =>
  isRec(v) && v.applied === true && Array.isArray(v.timers);
const rowErrorsOf = (e: unknown): RowError[] =>
  e instanceof ApiError && e.details && Array.isArray(e.details.errors) ? (e.details.errors as RowError[]) : [];

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function RundownImport({ room, count, token, notify }: RundownImportProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [mode, setMode] = useState<Mode>('append');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ message: string; rows: RowError[] } | null>(null);
  // One key per attempt at one body and mode: a retry after a lost answer cannot import twice.
  const key = useMemo(() => newId(), [text, mode]);
  // Measured as sent (JSON {csv}, whose escapes add bytes), against the route's limit.
  const tooBig = useMemo(
    () => new TextEncoder().encode(JSON.stringify({ csv: text })).byteLength > RUNDOWN_CSV_MAX_BYTES,
    [text],
  );

  const parsed = useMemo(() => {
    if (text.trim() === '') return null;
    const r = parseRundownCsv(text, { timeZone: room.timeZone, day: room.plannedStart ?? Date.now() });
    return { ...r, errors: r.errors.length > 0 ? r.errors : capacityErrors(r, count, mode) };
  }, [text, mode, count, room.timeZone, room.plannedStart]);
  const errors = parsed?.errors ?? [];
  const canApply = parsed !== null && errors.length === 0 && !tooBig && !busy;

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const close = () => {
    setOpen(false);
    setFailure(null);
    opener.current?.focus();
  };

  const onFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    if (file.size > RUNDOWN_CSV_MAX_BYTES) {
      setFailure({ message: `The file is larger than ${RUNDOWN_CSV_MAX_BYTES / 1024} KB`, rows: [] });
      return;
    }
    setFailure(null);
    setText(await file.text());
  };

  const apply = async () => {
    if (!canApply) return;
    setBusy(true);
    setFailure(null);
    try {
      const r = await api(`/api/rooms/${room.id}/rundown/import?mode=${mode}`, isApplied, {
        method: 'POST',
        body: { csv: text },
        token,
        idempotencyKey: key,
      });
      notify(`Imported ${r.timers.length} ${r.timers.length === 1 ? 'timer' : 'timers'}`);
      setText('');
      close();
    } catch (e) {
      setFailure({ message: errorText(e), rows: rowErrorsOf(e) });
    } finally {
      setBusy(false);
    }
  };

  const exportHref = `/api/rooms/${room.id}/rundown.csv${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return (
    <div class="rdi-bar">
      <button
        type="button"
        class="kt-btn kt-btn--small"
        ref={opener}
        onClick={() => setOpen(true)}
        data-testid="import-open"
      >
        Import CSV…
      </button>
      <a class="kt-btn kt-btn--small" href={exportHref} download data-testid="export-csv">
        Export CSV
      </a>
      <dialog
        ref={dialog}
        class="rdi"
        aria-labelledby="rdi-title"
        onCancel={(e) => {
          e.preventDefault();
          if (!busy) close();
        }}
        data-testid="import-dialog"
      >
        <div class="rdi-box kt-form">
          <h2 id="rdi-title">Import a rundown</h2>
          <p class="kt-muted rdi-help">
            Paste rows from a spreadsheet (with the header row), or choose a CSV file. Columns: label, duration, mode,
            trigger, planned start, warn, danger, notes. Durations like 5:00, 1:05:00, 1h 30m or 90s.
          </p>
          <div class="rdi-source">
            <label class="kt-field rdi-paste">
              <span>Paste</span>
              <textarea
                class="kt-input"
                rows={5}
                value={text}
                spellcheck={false}
                onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
                placeholder={'label\tduration\tnotes\nWelcome\t5:00\tLights down'}
                data-testid="import-paste"
              />
            </label>
            <div class="rdi-side">
              <label class="kt-field">
                <span>Or a file</span>
                <input
                  type="file"
                  accept=".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values"
                  onChange={onFile}
                  data-testid="import-file"
                />
              </label>
              <button
                type="button"
                class="kt-btn kt-btn--small"
                onClick={() => download('rundown-template.csv', rundownTemplate())}
                data-testid="import-template"
              >
                Download template
              </button>
            </div>
          </div>
          <fieldset class="rdi-mode">
            <legend>Apply as</legend>
            {(['append', 'replace'] as const).map((m) => (
              <label key={m}>
                <input
                  type="radio"
                  name="rdi-mode"
                  value={m}
                  checked={mode === m}
                  onChange={() => setMode(m)}
                  data-testid={`import-mode-${m}`}
                />{' '}
                {m === 'append' ? 'Add after the current timers' : 'Replace the whole rundown'}
              </label>
            ))}
          </fieldset>
          {parsed ? <Preview rows={parsed.rows} errors={errors} timeZone={room.timeZone} /> : null}
          {tooBig ? (
            <p class="kt-alert" role="alert">
              This is larger than {RUNDOWN_CSV_MAX_BYTES / 1024} KB.
            </p>
          ) : null}
          {failure ? (
            <div class="kt-alert" role="alert" data-testid="import-error">
              <p>{failure.message}</p>
              {failure.rows.length > 0 ? (
                <ul>
                  {failure.rows.slice(0, 20).map((r) => (
                    <li key={`${r.row}:${r.message}`}>
                      Row {r.row}: {r.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          <div class="kt-modal__actions">
            <button type="button" class="kt-btn" onClick={close} disabled={busy} data-testid="import-cancel">
              Cancel
            </button>
            <button
              type="button"
              class="kt-btn kt-btn--primary"
              onClick={apply}
              disabled={!canApply}
              aria-busy={busy}
              data-testid="import-apply"
            >
              {busy ? 'Importing…' : parsed ? `Import ${parsed.rows.length} rows` : 'Import'}
            </button>
          </div>
        </div>
      </dialog>
    </div>
  );
}

interface PreviewProps {
  rows: Array<{ row: number; timer: TimerDefinition | null }>;
  errors: RowError[];
  timeZone: string;
}

function Preview({ rows, errors, timeZone }: PreviewProps) {
  const byRow = new Map<number, string[]>();
  for (const e of errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e.message]);
  const shownRows = new Set(rows.map((r) => r.row));
  const loose = errors.filter((e) => !shownRows.has(e.row));
  const time = new Intl.DateTimeFormat(undefined, { timeZone, dateStyle: 'short', timeStyle: 'short' });
  const d = (ms: number | null) => (ms === null ? '' : formatDuration(ms));
  return (
    <div class="rdi-preview">
      <p class="rdi-summary" data-testid="import-summary">
        {rows.length} {rows.length === 1 ? 'row' : 'rows'}
        {errors.length > 0 ? `, ${errors.length} with errors: fix them in the file and paste again` : ', ready'}
      </p>
      {loose.length > 0 ? (
        <ul class="kt-alert rdi-file-errors" data-testid="import-errors">
          {loose.map((e) => (
            <li key={`${e.row}:${e.message}`}>
              Row {e.row}: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {rows.length > 0 ? (
        <div class="rdi-table-wrap">
          <table class="rdi-table">
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Label</th>
                <th scope="col">Duration</th>
                <th scope="col">Mode</th>
                <th scope="col">Trigger</th>
                <th scope="col">Planned start</th>
                <th scope="col">Warn</th>
                <th scope="col">Danger</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ row, timer }) => {
                const messages = byRow.get(row);
                return (
                  <tr
                    key={row}
                    class={messages ? 'is-error' : ''}
                    data-testid="import-row"
                    data-row={row}
                    aria-invalid={messages ? 'true' : undefined}
                  >
                    <th scope="row">{row}</th>
                    {timer && !messages ? (
                      <>
                        <td>{timer.label}</td>
                        <td>{d(timer.durationMs)}</td>
                        <td>{timer.mode}</td>
                        <td>{timer.trigger}</td>
                        <td>{timer.plannedStart === null ? '' : time.format(timer.plannedStart)}</td>
                        <td>{d(timer.warnMs)}</td>
                        <td>{d(timer.dangerMs)}</td>
                        <td class="rdi-notes">{timer.notes}</td>
                      </>
                    ) : (
                      <td colSpan={8} data-testid="import-row-error">
                        {(messages ?? []).join('; ')}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
