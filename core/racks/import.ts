/**
 * Expected stock from CSV: `parseStockCsv(text)` reads the rows (per-row errors), and `planImport(layout, rows, mode)`
 * says what each rack's expected list becomes and which racks change. Pure: the Warehouse applies the plan as one
 * layout command, so an import is all or nothing, and the same file applied twice changes nothing the second time.
 * Columns (a header row is required, any order, unknown columns ignored): rack, item_code, description,
 * expected_qty, serials, and optionally floor (needed for a rack the layout does not have yet).
 */
import { splitCsv, unguardText } from '../rooms/csv-text.ts';
import type { ExpectedItem } from './summary.ts';
import { type Layout, MAX_EXPECTED_ITEMS, MAX_RACKS_PER_FLOOR, racksOn, rackOf } from './warehouse.ts';

// ── Limits ─────────────────────────────────────────────────────────────────
export const STOCK_CSV_MAX_BYTES = 2 * 1024 * 1024;
export const STOCK_CSV_MAX_ROWS = 20_000;
export const STOCK_LIMITS = { description: 200, serials: 20, serial: 64, itemCode: 128, qty: 1_000_000 } as const;
/** Errors listed in an answer (a file with more still applies nothing). */
const MAX_ERRORS = 200;

export const STOCK_COLUMNS = ['rack', 'item_code', 'description', 'expected_qty', 'serials'] as const;
const OPTIONAL = ['floor'] as const;

export type ImportMode = 'replace' | 'merge';

export interface StockRow {
  row: number;
  rack: string;
  floor: string | null;
  item: ExpectedItem;
}

export interface ImportError {
  row: number;
  column?: string;
  message: string;
}

export interface ParsedStock {
  rows: StockRow[];
  errors: ImportError[];
}

const RACK_ID = /^[A-Za-z0-9_-]{1,64}$/;
const FLOOR_ID = /^[a-z0-9-]{1,64}$/;

// ── Parse ──────────────────────────────────────────────────────────────────
export function parseStockCsv(text: string): ParsedStock {
  const split = splitCsv(text);
  const records = split.records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const errors: ImportError[] = [];
  const header = records[0];
  if (!header) return { rows: [], errors: [{ row: 1, message: 'The file is empty: a header row is needed' }] };
  const names = header.cells.map((c) => c.trim().toLowerCase().replace(/\s+/g, '_'));
  const col = (n: string) => names.indexOf(n);
  const missing = STOCK_COLUMNS.filter((c) => c !== 'description' && c !== 'serials' && col(c) < 0);
  if (missing.length > 0)
    return {
      rows: [],
      errors: [
        {
          row: header.row,
          message: `Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (expected ${[...STOCK_COLUMNS, ...OPTIONAL].join(', ')})`,
        },
      ],
    };
  if (split.unclosedRow !== null) errors.push({ row: split.unclosedRow, message: 'A quote is never closed' });
  const data = records.slice(1);
  if (data.length > STOCK_CSV_MAX_ROWS)
    return {
      rows: [],
      errors: [
        { row: header.row, message: `A file holds at most ${STOCK_CSV_MAX_ROWS} rows (this one has ${data.length})` },
      ],
    };
  const rows: StockRow[] = [];
  const seen = new Map<string, number>();
  for (const r of data) {
    const cell = (n: string) => {
      const i = col(n);
      return i < 0 ? '' : unguardText((r.cells[i] ?? '').trim());
    };
    const err = (column: string, message: string) => errors.push({ row: r.row, column, message });
    const rack = cell('rack');
    const code = cell('item_code');
    const floor = cell('floor');
    const qtyText = cell('expected_qty');
    const description = cell('description');
    const serials = cell('serials')
      .split(/[|\s]+/)
      .filter((s) => s !== '');
    const before = errors.length;
    if (!RACK_ID.test(rack)) err('rack', 'A rack id is 1–64 letters, digits, dashes or underscores');
    if (code === '' || code.length > STOCK_LIMITS.itemCode)
      err('item_code', `An item code is 1–${STOCK_LIMITS.itemCode} characters`);
    if (floor !== '' && !FLOOR_ID.test(floor)) err('floor', 'A floor id is lowercase letters, digits and dashes');
    const qty = /^\d{1,7}$/.test(qtyText) ? Number(qtyText) : Number.NaN;
    if (!Number.isInteger(qty) || qty > STOCK_LIMITS.qty)
      err('expected_qty', `A whole number from 0 to ${STOCK_LIMITS.qty}`);
    if (description.length > STOCK_LIMITS.description)
      err('description', `At most ${STOCK_LIMITS.description} characters`);
    if (serials.length > STOCK_LIMITS.serials) err('serials', `At most ${STOCK_LIMITS.serials} serial numbers`);
    if (serials.some((s) => s.length > STOCK_LIMITS.serial))
      err('serials', `A serial is at most ${STOCK_LIMITS.serial} characters`);
    const key = `${rack}\u0000${code}`;
    const first = seen.get(key);
    if (first !== undefined) err('item_code', `Item ${code} on rack ${rack} is listed twice (first on row ${first})`);
    else seen.set(key, r.row);
    if (errors.length > before) continue;
    rows.push({
      row: r.row,
      rack,
      floor: floor === '' ? null : floor,
      item: {
        item_code: code,
        expected_qty: qty,
        ...(description !== '' ? { description } : {}),
        ...(serials.length > 0 ? { serials } : {}),
      },
    });
  }
  return { rows, errors: errors.slice(0, MAX_ERRORS) };
}

// ── Plan ───────────────────────────────────────────────────────────────────
export interface RackPlan {
  rack_id: string;
  floor: string;
  status: 'new' | 'changed' | 'unchanged';
  items: number;
  expected_total: number;
  expected: ExpectedItem[];
}

export interface ImportPlan {
  racks: RackPlan[];
  floorsCreated: string[];
  errors: ImportError[];
}

const sameItems = (a: ExpectedItem[], b: ExpectedItem[]): boolean => JSON.stringify(a) === JSON.stringify(b);
const byCode = (a: ExpectedItem, b: ExpectedItem) =>
  a.item_code < b.item_code ? -1 : a.item_code > b.item_code ? 1 : 0;

/** What each rack named in the rows becomes under `mode`, checked against the layout and its caps. */
export function planImport(layout: Layout, rows: StockRow[], mode: ImportMode): ImportPlan {
  const errors: ImportError[] = [];
  const groups = new Map<string, StockRow[]>();
  for (const r of rows) groups.set(r.rack, [...(groups.get(r.rack) ?? []), r]);
  const floorsCreated: string[] = [];
  const racks: RackPlan[] = [];
  const added = new Map<string, number>();
  for (const [rackId, list] of groups) {
    const existing = rackOf(layout, rackId);
    const named = list.find((r) => r.floor !== null)?.floor ?? null;
    const first = list[0] as StockRow;
    if (existing && named !== null && named !== existing.floorId) {
      errors.push({
        row: first.row,
        column: 'floor',
        message: `Rack ${rackId} is on floor ${existing.floorId}, not ${named}`,
      });
      continue;
    }
    const clash = list.find((r) => r.floor !== null && r.floor !== named);
    if (clash) {
      errors.push({ row: clash.row, column: 'floor', message: `Rack ${rackId} is given two floors` });
      continue;
    }
    const floor = existing?.floorId ?? named;
    if (!floor) {
      errors.push({
        row: first.row,
        column: 'floor',
        message: `Rack ${rackId} is new: give its floor in a floor column`,
      });
      continue;
    }
    if (!existing) {
      if (!layout.floors.some((f) => f.id === floor) && !floorsCreated.includes(floor)) floorsCreated.push(floor);
      const n = (added.get(floor) ?? 0) + 1;
      added.set(floor, n);
      if (racksOn(layout, floor).length + n > MAX_RACKS_PER_FLOOR) {
        errors.push({ row: first.row, column: 'rack', message: `A floor holds at most ${MAX_RACKS_PER_FLOOR} racks` });
        continue;
      }
    }
    const incoming = list.map((r) => r.item);
    const kept =
      mode === 'merge'
        ? (existing?.expected ?? []).filter((e) => !incoming.some((i) => i.item_code === e.item_code))
        : [];
    const expected = [...kept, ...incoming].sort(byCode);
    if (expected.length > MAX_EXPECTED_ITEMS) {
      errors.push({
        row: first.row,
        column: 'item_code',
        message: `Rack ${rackId} would hold ${expected.length} items; at most ${MAX_EXPECTED_ITEMS}`,
      });
      continue;
    }
    const current = existing ? [...existing.expected].sort(byCode) : null;
    racks.push({
      rack_id: rackId,
      floor,
      status: !current ? 'new' : sameItems(current, expected) ? 'unchanged' : 'changed',
      items: expected.length,
      expected_total: expected.reduce((n, e) => n + e.expected_qty, 0),
      expected,
    });
  }
  return { racks, floorsCreated, errors };
}
