/** The warehouse layout for admins: read it, change floors, racks and expected items. Every answer is guarded. */
import { api } from '../net/api.ts';
import { apiClient, call } from '../net/client.ts';
import { arrayOf, isNum, isRec, isStr } from '../net/guards.ts';
import type { Thresholds } from '../../../../core/racks/review.ts';

export type { Thresholds };

export interface ExpectedItem {
  item_code: string;
  expected_qty: number;
}
export interface LayoutRack {
  rack_id: string;
  item_estimate: number;
  expected: ExpectedItem[];
  /** The rack's own blind setting: null follows the floor (absent from older servers). */
  blind?: boolean | null;
  /** Whether blind counting is in force on the rack (its own setting, else the floor's). */
  blind_effective?: boolean;
}
export interface LayoutFloor {
  id: string;
  name: string;
  racks: LayoutRack[];
  /** Blind counting for the floor's racks (absent from older servers). */
  blind?: boolean;
  /** Variance review thresholds of the floor and its per-item overrides (absent from older servers). */
  review?: Thresholds;
}
export interface Layout {
  version: number;
  floors: LayoutFloor[];
}

const isItem = (v: unknown): v is ExpectedItem => isRec(v) && isStr(v.item_code) && isNum(v.expected_qty);
const isRack = (v: unknown): v is LayoutRack =>
  isRec(v) && isStr(v.rack_id) && isNum(v.item_estimate) && arrayOf(isItem)(v.expected);
const isFloor = (v: unknown): v is LayoutFloor => isRec(v) && isStr(v.id) && isStr(v.name) && arrayOf(isRack)(v.racks);
const isLayout = (v: unknown): v is Layout => isRec(v) && isNum(v.version) && arrayOf(isFloor)(v.floors);

/** The body of PUT /warehouse/floors/:floor/review; an item set to null loses its override. */
export interface ThresholdsBody {
  qty: number | null;
  pct: number | null;
  items: Record<string, { qty: number | null; pct: number | null } | null>;
}
const isReviewAnswer = (v: unknown): v is { floor: string; review: Thresholds } =>
  isRec(v) && isStr(v.floor) && isRec(v.review);

const warehouse = apiClient('warehouse');
const enc = encodeURIComponent;

export const getLayout = () => call(warehouse.warehouse, '$get', undefined, isLayout);
export const createFloor = (id: string, name: string) =>
  call(warehouse.warehouse.floors, '$post', undefined, isLayout, { body: { id, name } });
export const renameFloor = (id: string, name: string) =>
  call(warehouse.warehouse.floors[':floor'], '$put', { param: { floor: enc(id) } }, isLayout, { body: { name } });
export const setFloorBlind = (id: string, blind: boolean) =>
  api(`/api/warehouse/floors/${enc(id)}`, isLayout, { method: 'PUT', body: { blind } });
/** A rack's own blind setting: true, false, or null to follow its floor. */
export const setRackBlind = (rackId: string, blind: boolean | null) =>
  api(`/api/warehouse/racks/${enc(rackId)}/blind`, isLayout, { method: 'PUT', body: { blind } });
/** Replaces the floor's review thresholds (the whole set: per-item overrides left out are removed). */
export const setReviewThresholds = (floor: string, body: ThresholdsBody) =>
  api(`/api/warehouse/floors/${enc(floor)}/review`, isReviewAnswer, { method: 'PUT', body });
export const addRack = (floor: string, rackId: string, expected: ExpectedItem[]) =>
  call(warehouse.warehouse.floors[':floor'].racks, '$post', { param: { floor: enc(floor) } }, isLayout, {
    body: { rack_id: rackId, expected },
  });
export const setExpected = (rackId: string, items: ExpectedItem[]) =>
  call(warehouse.warehouse.racks[':rackId'].expected, '$put', { param: { rackId: enc(rackId) } }, isLayout, {
    body: { items },
  });
export const removeRack = (rackId: string) =>
  call(warehouse.warehouse.racks[':rackId'], '$delete', { param: { rackId: enc(rackId) } }, isLayout);

/** Expected items as one line each, "CODE qty". */
export const expectedText = (items: ExpectedItem[]): string =>
  items.map((i) => `${i.item_code} ${i.expected_qty}`).join('\n');

/** Reads "CODE qty" lines (qty defaults to 1; blank lines are skipped); the first bad line is the error. */
export function parseExpected(text: string): { items: ExpectedItem[] } | { error: string } {
  const items: ExpectedItem[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] ?? '').trim();
    if (!line) continue;
    const m = /^(\S+)(?:\s+(\d{1,7}))?$/.exec(line);
    if (!m) return { error: `Line ${n + 1}: write the item code, then the quantity` };
    const code = m[1] as string;
    if (items.some((i) => i.item_code === code)) return { error: `Line ${n + 1}: ${code} is listed twice` };
    items.push({ item_code: code, expected_qty: m[2] === undefined ? 1 : Number(m[2]) });
  }
  return { items };
}

/** A floor id from a display name: "Upper mezzanine" → "upper-mezzanine". */
export const slugOf = (name: string): string =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
