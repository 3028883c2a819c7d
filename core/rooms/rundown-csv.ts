/**
 * A rundown as CSV: import (spreadsheet exports and tab-separated pastes → timer definitions, with per-row errors)
 * and export (the same columns, read back losslessly). Pure: the import's day and the room's zone come in.
 */
import { LIMITS } from '../errors.ts';
import { guardText, quoted, splitCsv, unguardText } from './csv-text.ts';
import {
  type NumberUnit,
  type Parsed,
  formatDuration,
  knownZone,
  parseDuration,
  parsePlannedStart,
} from './duration-text.ts';
import type { Timer, TimerMode, TimerTrigger } from './timer.ts';
import { MAX_TIMERS, type TimerFields } from './transition.ts';

// ── Shapes ─────────────────────────────────────────────────────────────────
export const RUNDOWN_COLUMNS = [
  'label',
  'duration',
  'mode',
  'trigger',
  'plannedStart',
  'warn',
  'danger',
  'notes',
] as const;
type Column = (typeof RUNDOWN_COLUMNS)[number];

/** Largest accepted import body, in bytes (413 `payload_too_large` past it). */
export const RUNDOWN_CSV_MAX_BYTES = 256 * 1024;

/** What one CSV row defines: the timer fields a rundown file carries. */
export type TimerDefinition = Pick<
  TimerFields,
  | 'label'
  | 'durationMs'
  | 'mode'
  | 'trigger'
  | 'plannedStart'
  | 'warnMs'
  | 'dangerMs'
  | 'notes'
  | 'targetTime'
  | 'startAt'
>;

/** The import as the room object receives it (ids are given there, as for create-timer). */
export type ImportRundownInput = {
  type: 'import-rundown';
  mode: 'replace' | 'append';
  timers: TimerDefinition[];
};

export interface RowError {
  row: number;
  message: string;
}

export interface ParsedRundown {
  /** Every data row, in file order: its definition, or null when it has errors. */
  rows: Array<{ row: number; timer: TimerDefinition | null }>;
  errors: RowError[];
  /** Header names that matched no column (ignored). */
  ignoredColumns: string[];
}

export interface ParseContext {
  /** The room's zone: times without one are read in it. */
  timeZone: string;
  /** The room's planned start, else the import's `now`: bare times of day fall on this day. */
  day: number;
}

// ── Header ─────────────────────────────────────────────────────────────────
const ALIASES: Record<Column, string[]> = {
  label: ['label', 'title', 'name', 'cue', 'cuename', 'item', 'segment', 'timer', 'timername'],
  duration: ['duration', 'length', 'dur', 'runtime'],
  mode: ['mode', 'type', 'timertype', 'timermode'],
  trigger: ['trigger', 'starttrigger', 'triggermode'],
  plannedStart: ['plannedstart', 'start', 'starttime', 'scheduledstart', 'plannedstarttime', 'begin'],
  warn: ['warn', 'warning', 'warningtime', 'warnat', 'yellow'],
  danger: ['danger', 'dangertime', 'dangerat', 'red'],
  notes: ['notes', 'note', 'comments', 'comment', 'presenternotes', 'crewnotes', 'remarks', 'description'],
};
const TIMED: ReadonlySet<Column> = new Set(['duration', 'warn', 'danger']);
const UNIT_SUFFIXES: Array<[string[], NumberUnit]> = [
  [['ms', 'msec', 'milliseconds'], 'ms'],
  [['s', 'sec', 'secs', 'seconds'], 's'],
  [['m', 'min', 'mins', 'minutes'], 'min'],
  [['h', 'hr', 'hrs', 'hours'], 'h'],
];
const unitOf = (word: string): NumberUnit | null => UNIT_SUFFIXES.find(([ws]) => ws.includes(word))?.[1] ?? null;
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A header cell's column and the unit its bare numbers are in: `Duration (min)`, `warn_s`, `durationMs`. */
function columnOf(header: string): { column: Column; unit: NumberUnit } | null {
  const paren = /\(([^)]*)\)/.exec(header)?.[1];
  const name = squash(header.replace(/\([^)]*\)/g, ''));
  const hinted = paren === undefined ? null : unitOf(squash(paren));
  for (const column of RUNDOWN_COLUMNS) {
    if (ALIASES[column].includes(name)) return { column, unit: hinted ?? 'min' };
    if (!TIMED.has(column)) continue;
    for (const base of ALIASES[column]) {
      const unit = name.startsWith(base) ? unitOf(name.slice(base.length)) : null;
      if (unit) return { column, unit };
    }
  }
  return null;
}

// ── Cells ──────────────────────────────────────────────────────────────────
const MODES: Record<string, TimerMode> = {
  countdown: 'countdown',
  down: 'countdown',
  countup: 'countup',
  up: 'countup',
  stopwatch: 'countup',
  timeofday: 'time-of-day',
  tod: 'time-of-day',
  untilatime: 'time-of-day',
  untiltime: 'time-of-day',
};
const TRIGGERS: Record<string, TimerTrigger> = {
  manual: 'manual',
  linked: 'linked',
  link: 'linked',
  auto: 'linked',
  followon: 'linked',
  scheduled: 'scheduled',
  schedule: 'scheduled',
  timed: 'scheduled',
};

function textCell(raw: string, max: number, trim: boolean): Parsed<string> {
  const v = unguardText(trim ? raw.trim() : raw);
  return v.length > max ? { ok: false, message: `longer than ${max} characters` } : { ok: true, value: v };
}

const choice = <T>(raw: string, map: Record<string, T>, fallback: T, words: string): Parsed<T> => {
  const key = squash(raw);
  if (key === '') return { ok: true, value: fallback };
  const v = map[key];
  return v === undefined ? { ok: false, message: `“${raw.trim()}” is not one of ${words}` } : { ok: true, value: v };
};

// ── Import ─────────────────────────────────────────────────────────────────
/**
 * Reads a rundown file. Row numbers are as a spreadsheet shows them (the header is row 1); blank rows are
 * skipped. A file-level problem (no header columns for label or duration, an unclosed quote, too many rows) is an
 * error on the row where it is seen. Never throws.
 */
export function parseRundownCsv(text: string, ctx: ParseContext): ParsedRundown {
  const split = splitCsv(text);
  const errors: RowError[] = [];
  const rows: ParsedRundown['rows'] = [];
  const [header, ...body] = split.records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (!header)
    return { rows, errors: [{ row: 1, message: 'The file is empty: it needs a header row' }], ignoredColumns: [] };
  const columns = new Map<Column, { index: number; unit: NumberUnit }>();
  const ignoredColumns: string[] = [];
  header.cells.forEach((cell, index) => {
    const c = columnOf(cell);
    if (!c) {
      if (cell.trim() !== '') ignoredColumns.push(cell.trim().slice(0, 40));
    } else if (columns.has(c.column)) errors.push({ row: header.row, message: `Two columns mean ${c.column}` });
    else columns.set(c.column, { index, unit: c.unit });
  });
  for (const needed of ['label', 'duration'] as const)
    if (!columns.has(needed))
      errors.push({
        row: header.row,
        message: `The header row has no ${needed} column (expected: ${RUNDOWN_COLUMNS.join(', ')})`,
      });
  if (errors.length > 0) return { rows, errors, ignoredColumns };
  const zone = knownZone(ctx.timeZone) ? ctx.timeZone : 'UTC';
  for (const record of body) {
    if (rows.length >= MAX_TIMERS) {
      errors.push({ row: record.row, message: `Too many rows: a room holds at most ${MAX_TIMERS} timers` });
      break;
    }
    const rowErrors: string[] = [];
    const cell = (c: Column) => {
      const at = columns.get(c);
      return at === undefined ? '' : (record.cells[at.index] ?? '');
    };
    const take = <T>(c: Column, r: Parsed<T>, fallback: T): T => {
      if (r.ok) return r.value;
      rowErrors.push(`${c}: ${r.message}`);
      return fallback;
    };
    const timed = (c: 'warn' | 'danger') =>
      cell(c).trim() === '' ? null : take(c, parseDuration(cell(c), columns.get(c)?.unit), null);
    const label = take('label', textCell(cell('label'), LIMITS.label, true), '');
    const durationMs = take('duration', parseDuration(cell('duration'), columns.get('duration')?.unit), 0);
    const mode = take('mode', choice(cell('mode'), MODES, 'countdown', 'countdown, countup, time-of-day'), 'countdown');
    const trigger = take('trigger', choice(cell('trigger'), TRIGGERS, 'manual', 'manual, linked, scheduled'), 'manual');
    const plannedStart =
      cell('plannedStart').trim() === ''
        ? null
        : take('plannedStart', parsePlannedStart(cell('plannedStart'), { timeZone: zone, day: ctx.day }), null);
    const warnMs = timed('warn');
    const dangerMs = timed('danger');
    const notes = take('notes', textCell(cell('notes'), LIMITS.notes, false), '');
    if (plannedStart === null && cell('plannedStart').trim() === '') {
      if (trigger === 'scheduled') rowErrors.push('plannedStart: a scheduled timer needs a planned start');
      if (mode === 'time-of-day') rowErrors.push('plannedStart: a time-of-day timer needs a planned start');
    }
    if (split.unclosedRow === record.row) rowErrors.push('a quote is opened and never closed');
    if (rowErrors.length > 0) {
      errors.push({ row: record.row, message: rowErrors.join('; ') });
      rows.push({ row: record.row, timer: null });
      continue;
    }
    const timer: TimerDefinition = {
      label,
      durationMs,
      mode,
      trigger,
      plannedStart,
      warnMs,
      dangerMs,
      notes,
      // A scheduled cue starts at its planned start; a time-of-day cue counts down to its planned end.
      startAt: trigger === 'scheduled' ? plannedStart : null,
      targetTime: mode === 'time-of-day' && plannedStart !== null ? plannedStart + durationMs : null,
    };
    rows.push({ row: record.row, timer });
  }
  if (rows.length === 0 && errors.length === 0)
    errors.push({ row: header.row, message: 'The file has a header but no rows' });
  return { rows, errors, ignoredColumns };
}

/** Errors for an import that would take the room past MAX_TIMERS (`existing` timers kept when appending). */
export function capacityErrors(parsed: ParsedRundown, existing: number, mode: 'replace' | 'append'): RowError[] {
  const room = mode === 'append' ? existing : 0;
  const over = parsed.rows[MAX_TIMERS - room];
  if (!over) return [];
  return [
    {
      row: over.row,
      message: `A room holds at most ${MAX_TIMERS} timers: with the ${room} it has, the import no longer fits from this row (${parsed.rows.length} rows in all)`,
    },
  ];
}

// ── Export ─────────────────────────────────────────────────────────────────
/** The planned start a timer's row carries (a scheduled cue's start, or a time-of-day cue's target less its duration). */
function plannedStartOf(t: Pick<Timer, keyof TimerDefinition>): number | null {
  if (t.plannedStart !== null) return t.plannedStart;
  if (t.trigger === 'scheduled' && t.startAt !== null) return t.startAt;
  if (t.mode === 'time-of-day' && t.targetTime !== null) return t.targetTime - t.durationMs;
  return null;
}

const ms = (v: number | null) => (v === null ? '' : formatDuration(v));

/**
 * The rundown as CSV, CRLF line ends, header first: text cells quoted and guarded against formula injection
 * (the import removes the guard), durations as H:MM:SS[.mmm], planned starts as ISO 8601 in UTC, empty for none.
 */
export function exportRundownCsv(timers: ReadonlyArray<Pick<Timer, keyof TimerDefinition>>): string {
  const lines = timers.map((t) => {
    const start = plannedStartOf(t);
    return [
      quoted(guardText(t.label)),
      formatDuration(t.durationMs),
      t.mode,
      t.trigger,
      start === null ? '' : new Date(start).toISOString(),
      ms(t.warnMs),
      ms(t.dangerMs),
      quoted(guardText(t.notes)),
    ].join(',');
  });
  return [RUNDOWN_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

/** A template to fill in: the header and three example rows (the control panel's "Download template"). */
export function rundownTemplate(): string {
  return (
    [
      RUNDOWN_COLUMNS.join(','),
      '"Welcome",5:00,countdown,manual,09:00,1:00,0:15,"Lights down, walk-in music off"',
      '"Keynote",45m,countdown,linked,,5m,1m,"Speaker: Dana. Wrap-up signal at 5 minutes"',
      '"Q&A",0:15:00,countdown,manual,,,,""',
    ].join('\r\n') + '\r\n'
  );
}
