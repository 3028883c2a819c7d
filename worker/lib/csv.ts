/** Bidirectional controls (LRE…RLO, LRI…PDI, LRM, RLM): they can make a cell read differently from what it holds. */
const BIDI = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/**
 * A fragment a spreadsheet could run as a formula: one that starts with = + - @ (after leading spaces), at the start
 * of the cell or after a separator inside it (`;` `,` tab, CR or LF: a paste or a re-import with another
 * delimiter splits there). Each gets a leading apostrophe, which spreadsheets show as text.
 */
const FORMULA_START = /(^|[;,\t\r\n])([ \u00A0]*)(?=[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/g;

/** A text cell: bidi controls stripped, formula fragments neutralised, always quoted (RFC 4180). */
export function csvText(v: string): string {
  const s = v.replace(BIDI, '').replace(FORMULA_START, "$1$2'");
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * CSV (RFC 4180) with a guard against spreadsheet formula injection: text cells are quoted and neutralised
 * (csvText); numbers and booleans are written as they are; null and undefined are empty.
 */
export function toCsv(header: string[], rows: Array<Array<string | number | boolean | null | undefined>>): string {
  const cell = (v: string | number | boolean | null | undefined) => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    if (typeof v === 'boolean') return String(v);
    return csvText(v);
  };
  // The header is the route's own fixed names, written bare.
  return [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\r\n') + '\r\n';
}

export function csvResponse(filename: string, body: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    },
  });
}

export const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '' : new Date(ms).toISOString();
