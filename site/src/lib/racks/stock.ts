/** Admin stock and lease actions: CSV import (preview, apply), export by date range, hand-off and break. */
import { api } from '../net/api.ts';
import { arrayOf, isBool, isNum, isRec, isStr } from '../net/guards.ts';

export interface ImportRowError {
  row: number;
  column?: string;
  message: string;
}
export interface ImportRack {
  rack_id: string;
  floor: string;
  status: 'new' | 'changed' | 'unchanged';
  items: number;
  expected_total: number;
  deferred: boolean;
}
export interface ImportAnswer {
  dryRun: boolean;
  applied: boolean;
  mode: 'replace' | 'merge';
  rows: number;
  errors: ImportRowError[];
  racks: ImportRack[];
  floors_created: string[];
  changed: number;
}

const isRowError = (v: unknown): v is ImportRowError => isRec(v) && isNum(v.row) && isStr(v.message);
const isImportRack = (v: unknown): v is ImportRack =>
  isRec(v) && isStr(v.rack_id) && isStr(v.floor) && isStr(v.status) && isNum(v.items);
const isImport = (v: unknown): v is ImportAnswer =>
  isRec(v) && isNum(v.rows) && arrayOf(isRowError)(v.errors) && arrayOf(isImportRack)(v.racks);
const isRefused = (v: unknown): v is { errors: ImportRowError[] } => isRec(v) && arrayOf(isRowError)(v.errors);

/** The most a file may be (the server's cap is 2 MB). */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/**
 * Sends the CSV for a preview (`dryRun`) or to apply. A refused file (422)
 * resolves with its per-row errors instead of throwing.
 */
export async function importStock(
  csv: string,
  mode: 'replace' | 'merge',
  dryRun: boolean,
): Promise<ImportAnswer | { refused: true; errors: ImportRowError[] }> {
  const a = await api(
    `/api/warehouse/import?mode=${mode}${dryRun ? '&dryRun=1' : ''}`,
    (v): v is unknown => isImport(v) || isRefused(v),
    { method: 'POST', body: { csv }, accept: [422] },
  );
  if (isImport(a)) return a;
  return { refused: true, errors: isRefused(a) ? a.errors : [] };
}

/** The export's URL for a date range (yyyy-mm-dd, whole days in local time). */
export function exportHref(from: string, to: string, floor?: string): string {
  const q = new URLSearchParams();
  if (from) q.set('from', String(new Date(`${from}T00:00:00`).getTime()));
  if (to) q.set('to', String(new Date(`${to}T23:59:59.999`).getTime()));
  if (floor) q.set('floor', floor);
  return `/api/warehouse/export.csv?${q}`;
}

const isHandoff = (v: unknown): v is { holder: string; fencing_token: number } =>
  isRec(v) && isStr(v.holder) && isNum(v.fencing_token);

export const handOff = (rackId: string, toUserId: string, reason: string) =>
  api(`/api/racks/${encodeURIComponent(rackId)}/handoff`, isHandoff, {
    method: 'POST',
    body: { to_user_id: toUserId, reason },
  });

export const breakLease = (rackId: string, reason: string) =>
  api(
    `/api/racks/${encodeURIComponent(rackId)}/break`,
    (v): v is { success: boolean } => isRec(v) && isBool(v.success),
    {
      method: 'POST',
      body: { reason },
    },
  );
