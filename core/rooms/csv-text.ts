/**
 * CSV as spreadsheets write it (RFC 4180 plus their habits), and the formula-injection guard made reversible.
 * Pure and total: any text splits into records without throwing.
 */

export type Delimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** 1-based row as a spreadsheet shows it (a quoted newline stays inside its row). */
  row: number;
  cells: string[];
}

export interface SplitCsv {
  delimiter: Delimiter;
  records: CsvRecord[];
  /** The row whose quote was never closed, if any (the rest of the file is inside it). */
  unclosedRow: number | null;
}

/**
 * The delimiter: Excel's `sep=;` line when present, else a tab anywhere in the first line (a paste from a
 * spreadsheet), else whichever of `;` and `,` the first line has more of outside quotes (Excel in locales with a
 * decimal comma writes `;`).
 */
function detect(text: string): { delimiter: Delimiter; skip: number } {
  const sep = /^sep=([,;\t])\r?(\n|$)/i.exec(text);
  if (sep) return { delimiter: sep[1] as Delimiter, skip: sep[0].length };
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  if (firstLine.includes('\t')) return { delimiter: '\t', skip: 0 };
  const bare = firstLine.replace(/"[^"]*"/g, '');
  const count = (c: string) => bare.split(c).length - 1;
  return { delimiter: count(';') > count(',') ? ';' : ',', skip: 0 };
}

/** Splits `text` (a BOM is dropped) into records; CRLF, LF and CR all end a record outside quotes. */
export function splitCsv(input: string): SplitCsv {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const { delimiter, skip } = detect(text);
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let cellStart = true;
  let row = 1;
  let quoteRow = 0;
  const endCell = () => {
    cells.push(cell);
    cell = '';
    cellStart = true;
  };
  const endRecord = () => {
    endCell();
    records.push({ row, cells });
    cells = [];
    row += 1;
  };
  for (let i = skip; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
      continue;
    }
    if (ch === '"' && cellStart) {
      quoted = true;
      quoteRow = row;
      cellStart = false;
    } else if (ch === delimiter) endCell();
    else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      // A stray quote inside a bare cell is kept as text, as spreadsheets read it.
      cell += ch;
      cellStart = false;
    }
  }
  if (quoted || cell !== '' || cells.length > 0) endRecord();
  return { delimiter, records, unclosedRow: quoted ? quoteRow : null };
}

// ── The formula-injection guard (worker/lib/csv.ts), reversible ─────────────
/** Bidirectional controls: they can make a cell read differently from what it holds; dropped both ways. */
const BIDI = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/**
 * A spot a spreadsheet could read a formula from: the start of the cell or just after a separator inside it, after
 * spaces, where = + - @ (or their full-width forms) follow, possibly after apostrophes the guard put there before.
 */
const GUARD_SPOT = /(^|[;,\t\r\n])([ \u00A0]*)(?='*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/g;
const GUARDED_SPOT = /(^|[;,\t\r\n])([ \u00A0]*)'(?='*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/g;

/**
 * A text cell for export: bidi controls dropped, one apostrophe added at every formula spot (spreadsheets show a
 * leading apostrophe as text). Apostrophes already there gain one more, so `unguard` restores the text exactly.
 */
export function guardText(v: string): string {
  return v.replace(BIDI, '').replace(GUARD_SPOT, "$1$2'");
}

/** The inverse of guardText on text it wrote (bidi controls aside). */
export function unguardText(v: string): string {
  return v.replace(BIDI, '').replace(GUARDED_SPOT, '$1$2');
}

/** A quoted RFC 4180 cell. */
export const quoted = (v: string): string => `"${v.replace(/"/g, '""')}"`;
