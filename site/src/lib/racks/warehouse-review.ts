/**
 * The review-thresholds editor's logic, pure: a floor's thresholds as an editable draft (numbers written the
 * reader's locale's way), the draft's problems in words, and the body PUT /warehouse/floors/:floor/review takes.
 * Empty means "no threshold". `locale` defaults to the browser's; tests pass one.
 */
import type { Thresholds, ThresholdsBody } from './warehouse.ts';

/** The API's bounds (core/racks/protocol.ts reviewThresholdsBody). */
export const MAX_QTY = 1_000_000;
export const MAX_PCT = 10_000;
export const MAX_ITEMS = 2000;
const MAX_CODE = 128;

export interface ItemDraft {
  /** Stable across edits, for keys and element ids. */
  key: number;
  code: string;
  qty: string;
  pct: string;
}
export interface ThresholdsDraft {
  qty: string;
  pct: string;
  items: ItemDraft[];
}
export type Field = 'qty' | 'pct' | 'code' | 'row';
/** A problem of the draft: where (`floor`, or an item row's key) and which field. */
export interface DraftProblem {
  at: 'floor' | number;
  field: Field;
  message: string;
}

const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string | undefined, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}|${JSON.stringify(opts)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, opts);
    formats.set(key, f);
  }
  return f;
}

/** A number as an input shows it: the locale's decimal mark, no grouping ("12.5" en, "12,5" de). */
export const inputText = (n: number | null, locale?: string): string =>
  n === null ? '' : numberFormat(locale, { useGrouping: false, maximumFractionDigits: 2 }).format(n);

/** A quantity for reading: "1,000" (en), "1.000" (de). */
export const qtyLabel = (n: number, locale?: string): string => numberFormat(locale, {}).format(n);

/** A percentage for reading: "12.5%" (en), "12,5 %" (de). */
export const pctLabel = (n: number, locale?: string): string =>
  numberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(n / 100);

/** The locale's decimal and grouping marks. */
function marks(locale: string | undefined): { decimal: string; group: string } {
  const parts = numberFormat(locale, {}).formatToParts(12345.6);
  return {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
  };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Reads a number typed the locale's way: its decimal mark or a point is the decimal; its grouping marks count only
 * in whole groups of three ("1.000" in de is a thousand, "12.5" is twelve and a half); spaces are ignored.
 * Empty: null. Not a plain non-negative number: NaN.
 */
export function readNumber(text: string, locale?: string): number | null {
  const { decimal, group } = marks(locale);
  let t = text.replace(/[\s\u00a0\u202f]/g, '');
  if (!t) return null;
  if (group !== decimal && new RegExp(`^\\d{1,3}(${escapeRe(group)}\\d{3})+(${escapeRe(decimal)}\\d+)?$`).test(t))
    t = t.split(group).join('');
  if (decimal !== '.') t = t.replace(decimal, '.');
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

/** What is wrong with a threshold's text, or null. */
export function numberProblem(text: string, field: 'qty' | 'pct', locale?: string): string | null {
  const n = readNumber(text, locale);
  if (n === null) return null;
  if (field === 'qty') {
    if (!Number.isInteger(n) || n > MAX_QTY)
      return `Write a whole number of units from 0 to ${qtyLabel(MAX_QTY, locale)}, or leave it empty`;
    return null;
  }
  if (Number.isNaN(n) || n > MAX_PCT)
    return `Write a percentage from 0 to ${qtyLabel(MAX_PCT, locale)}, or leave it empty`;
  return null;
}

/** The draft of stored thresholds: item overrides by code. */
export function draftOf(t: Thresholds | undefined, locale?: string): ThresholdsDraft {
  const items = Object.entries(t?.items ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, v], i) => ({ key: i + 1, code, qty: inputText(v.qty, locale), pct: inputText(v.pct, locale) }));
  return { qty: inputText(t?.qty ?? null, locale), pct: inputText(t?.pct ?? null, locale), items };
}

/** Every problem of the draft, in the order of the form. */
export function draftProblems(d: ThresholdsDraft, locale?: string): DraftProblem[] {
  const out: DraftProblem[] = [];
  for (const field of ['qty', 'pct'] as const) {
    const message = numberProblem(d[field], field, locale);
    if (message) out.push({ at: 'floor', field, message });
  }
  if (d.items.length > MAX_ITEMS)
    out.push({ at: 'floor', field: 'row', message: `At most ${qtyLabel(MAX_ITEMS, locale)} item overrides` });
  const seen = new Set<string>();
  for (const row of d.items) {
    const code = row.code.trim();
    if (!code) out.push({ at: row.key, field: 'code', message: 'Write the item code' });
    else if (code.length > MAX_CODE)
      out.push({ at: row.key, field: 'code', message: 'An item code is at most 128 characters' });
    else if (seen.has(code)) out.push({ at: row.key, field: 'code', message: `${code} has an override already` });
    seen.add(code);
    for (const field of ['qty', 'pct'] as const) {
      const message = numberProblem(row[field], field, locale);
      if (message) out.push({ at: row.key, field, message });
    }
    if (!row.qty.trim() && !row.pct.trim())
      out.push({ at: row.key, field: 'row', message: 'Set a quantity, a percentage or both, or remove the override' });
  }
  return out;
}

/**
 * The request body of a draft without problems: the whole set, and null for each override `before` had that the
 * draft no longer has (so the removal is explicit).
 */
export function bodyOf(d: ThresholdsDraft, before: Thresholds | undefined, locale?: string): ThresholdsBody {
  const items: ThresholdsBody['items'] = {};
  for (const code of Object.keys(before?.items ?? {})) items[code] = null;
  for (const row of d.items)
    items[row.code.trim()] = { qty: readNumber(row.qty, locale), pct: readNumber(row.pct, locale) };
  return { qty: readNumber(d.qty, locale), pct: readNumber(d.pct, locale), items };
}

/** "over 2 units or over 12.5%", or "none" when neither number is set. */
export function thresholdWords(t: { qty: number | null; pct: number | null }, locale?: string): string {
  const parts: string[] = [];
  if (t.qty !== null) parts.push(`over ${qtyLabel(t.qty, locale)} ${t.qty === 1 ? 'unit' : 'units'}`);
  if (t.pct !== null) parts.push(`over ${pctLabel(t.pct, locale)}`);
  return parts.length ? parts.join(' or ') : 'none';
}
