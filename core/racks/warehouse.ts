/**
 * The warehouse layout (floors, their racks, what each rack should hold) as
 * a pure transition: `applyLayout(layout, command) → { layout, touched } | { rejected }`.
 * Admins change it; the Warehouse object owns it and tells the Rack and Floor
 * objects a change touches. Rack ids are unique across floors.
 */
import { NO_THRESHOLDS, type Thresholds } from './review.ts';
import type { ExpectedItem } from './summary.ts';

// ── State ──────────────────────────────────────────────────────────────────
export interface LayoutFloor {
  id: string;
  name: string;
  position: number;
  /** Blind counting for the floor's racks (a rack's own setting wins). */
  blind?: boolean;
  /** Variance review thresholds (review.ts); absent: none. */
  review?: Thresholds;
}

export interface LayoutRack {
  rackId: string;
  floorId: string;
  expected: ExpectedItem[];
  /** The rack's own blind setting; null or absent: the floor's. */
  blind?: boolean | null;
}

/** What a Rack object is told about itself: its layout entry with the floor's settings applied. */
export interface RackInfo extends LayoutRack {
  blindEffective: boolean;
  review: Thresholds;
}

export interface Layout {
  /** Rises by one with every change. */
  version: number;
  floors: LayoutFloor[];
  /** In the order racks were added. */
  racks: LayoutRack[];
}

/** At most this many racks on one floor, and expected items on one rack. */
export const MAX_RACKS_PER_FLOOR = 200;
export const MAX_EXPECTED_ITEMS = 500;

// ── Commands ───────────────────────────────────────────────────────────────
export type LayoutCommand =
  | { type: 'create-floor'; id: string; name: string }
  | { type: 'rename-floor'; id: string; name: string }
  | { type: 'add-rack'; floorId: string; rackId: string; expected: ExpectedItem[] }
  | { type: 'remove-rack'; rackId: string }
  | { type: 'set-expected'; rackId: string; expected: ExpectedItem[] }
  | { type: 'set-floor'; id: string; name?: string | undefined; blind?: boolean | undefined }
  | { type: 'set-rack-blind'; rackId: string; blind: boolean | null }
  | { type: 'set-review'; floorId: string; review: Thresholds }
  /** A stock import (import.ts planned it): new floors, then each rack's full expected list (new racks are added). */
  | {
      type: 'import';
      floors: string[];
      racks: Array<{ rackId: string; floorId: string; expected: ExpectedItem[] }>;
    };

type LayoutRejectCode =
  | 'floor_exists'
  | 'floor_not_found'
  | 'rack_exists'
  | 'rack_not_found'
  | 'floor_full'
  | 'duplicate_item';

/** What a change touched: the racks whose info changed (null: removed) and the floors whose rack list or name changed. */
export interface LayoutTouch {
  racks: Array<{ rackId: string; info: LayoutRack | null }>;
  floors: string[];
}

export type LayoutResult = { layout: Layout; touched: LayoutTouch } | { rejected: LayoutRejectCode; message: string };

// ── Derivations ──────────────────────────────────────────────────────────
export const floorOf = (l: Layout, id: string): LayoutFloor | null => l.floors.find((f) => f.id === id) ?? null;
export const rackOf = (l: Layout, rackId: string): LayoutRack | null =>
  l.racks.find((r) => r.rackId === rackId) ?? null;
export const racksOn = (l: Layout, floorId: string): LayoutRack[] =>
  l.racks.filter((r) => r.floorId === floorId).sort((a, b) => (a.rackId < b.rackId ? -1 : a.rackId > b.rackId ? 1 : 0));
/** A rack's info with its floor's settings applied; null when there is no such rack. */
export function rackInfoOf(l: Layout, rackId: string): RackInfo | null {
  const r = rackOf(l, rackId);
  if (!r) return null;
  const f = floorOf(l, r.floorId);
  return { ...r, blindEffective: r.blind ?? f?.blind ?? false, review: f?.review ?? NO_THRESHOLDS };
}

export const itemEstimate = (r: Pick<LayoutRack, 'expected'>): number =>
  r.expected.reduce((n, e) => n + e.expected_qty, 0);

// ── Transition ─────────────────────────────────────────────────────────────
type Next = (patch: Partial<Layout>, touched: LayoutTouch) => LayoutResult;

export function applyLayout(l: Layout, cmd: LayoutCommand): LayoutResult {
  const next: Next = (patch, touched) => ({
    layout: { ...l, ...patch, version: l.version + 1 },
    touched,
  });
  switch (cmd.type) {
    case 'create-floor': {
      if (floorOf(l, cmd.id)) return { rejected: 'floor_exists', message: `Floor ${cmd.id} exists` };
      const position = l.floors.reduce((n, f) => Math.max(n, f.position + 1), 0);
      return next({ floors: [...l.floors, { id: cmd.id, name: cmd.name, position }] }, { racks: [], floors: [cmd.id] });
    }
    case 'rename-floor': {
      if (!floorOf(l, cmd.id)) return { rejected: 'floor_not_found', message: `No floor ${cmd.id}` };
      return next(
        { floors: l.floors.map((f) => (f.id === cmd.id ? { ...f, name: cmd.name } : f)) },
        { racks: [], floors: [cmd.id] },
      );
    }
    case 'add-rack': {
      if (!floorOf(l, cmd.floorId)) return { rejected: 'floor_not_found', message: `No floor ${cmd.floorId}` };
      const existing = rackOf(l, cmd.rackId);
      if (existing)
        return { rejected: 'rack_exists', message: `Rack ${cmd.rackId} exists on floor ${existing.floorId}` };
      if (racksOn(l, cmd.floorId).length >= MAX_RACKS_PER_FLOOR)
        return { rejected: 'floor_full', message: `A floor holds at most ${MAX_RACKS_PER_FLOOR} racks` };
      const dupe = duplicateItem(cmd.expected);
      if (dupe) return { rejected: 'duplicate_item', message: `Item ${dupe} is listed twice` };
      const rack: LayoutRack = { rackId: cmd.rackId, floorId: cmd.floorId, expected: cmd.expected };
      return next(
        { racks: [...l.racks, rack] },
        { racks: [{ rackId: cmd.rackId, info: rack }], floors: [cmd.floorId] },
      );
    }
    case 'remove-rack': {
      const rack = rackOf(l, cmd.rackId);
      if (!rack) return { rejected: 'rack_not_found', message: `No rack ${cmd.rackId}` };
      return next(
        { racks: l.racks.filter((r) => r.rackId !== cmd.rackId) },
        { racks: [{ rackId: cmd.rackId, info: null }], floors: [rack.floorId] },
      );
    }
    case 'set-expected': {
      const rack = rackOf(l, cmd.rackId);
      if (!rack) return { rejected: 'rack_not_found', message: `No rack ${cmd.rackId}` };
      const dupe = duplicateItem(cmd.expected);
      if (dupe) return { rejected: 'duplicate_item', message: `Item ${dupe} is listed twice` };
      const info: LayoutRack = { ...rack, expected: cmd.expected };
      return next(
        { racks: l.racks.map((r) => (r.rackId === cmd.rackId ? info : r)) },
        { racks: [{ rackId: cmd.rackId, info }], floors: [rack.floorId] },
      );
    }
    case 'set-floor':
      return setFloor(l, cmd, next);
    case 'set-rack-blind': {
      const rack = rackOf(l, cmd.rackId);
      if (!rack) return { rejected: 'rack_not_found', message: `No rack ${cmd.rackId}` };
      const info: LayoutRack = { ...rack, blind: cmd.blind };
      return next(
        { racks: l.racks.map((r) => (r.rackId === cmd.rackId ? info : r)) },
        { racks: [{ rackId: cmd.rackId, info }], floors: [rack.floorId] },
      );
    }
    case 'set-review': {
      const f = floorOf(l, cmd.floorId);
      if (!f) return { rejected: 'floor_not_found', message: `No floor ${cmd.floorId}` };
      return next(
        { floors: l.floors.map((x) => (x.id === cmd.floorId ? { ...x, review: cmd.review } : x)) },
        { racks: racksOn(l, cmd.floorId).map((r) => ({ rackId: r.rackId, info: r })), floors: [cmd.floorId] },
      );
    }
    case 'import':
      return importStock(l, cmd, next);
  }
}

function setFloor(l: Layout, cmd: Extract<LayoutCommand, { type: 'set-floor' }>, next: Next): LayoutResult {
  const f = floorOf(l, cmd.id);
  if (!f) return { rejected: 'floor_not_found', message: `No floor ${cmd.id}` };
  const floor: LayoutFloor = {
    ...f,
    ...(cmd.name !== undefined ? { name: cmd.name } : {}),
    ...(cmd.blind !== undefined ? { blind: cmd.blind } : {}),
  };
  // Every rack of the floor follows a blind change.
  const racks = cmd.blind !== undefined && cmd.blind !== (f.blind ?? false) ? racksOn(l, cmd.id) : [];
  const layout = { ...l, floors: l.floors.map((x) => (x.id === cmd.id ? floor : x)) };
  return next(
    { floors: layout.floors },
    { racks: racks.map((r) => ({ rackId: r.rackId, info: r })), floors: [cmd.id] },
  );
}

function importStock(l: Layout, cmd: Extract<LayoutCommand, { type: 'import' }>, next: Next): LayoutResult {
  const floors = [...l.floors];
  for (const id of cmd.floors)
    if (!floors.some((f) => f.id === id))
      floors.push({ id, name: id, position: floors.reduce((n, f) => Math.max(n, f.position + 1), 0) });
  const racks = [...l.racks];
  const touched: LayoutTouch = { racks: [], floors: [] };
  for (const r of cmd.racks) {
    if (!floors.some((f) => f.id === r.floorId))
      return { rejected: 'floor_not_found', message: `No floor ${r.floorId}` };
    const dupe = duplicateItem(r.expected);
    if (dupe) return { rejected: 'duplicate_item', message: `Item ${dupe} is listed twice on rack ${r.rackId}` };
    const i = racks.findIndex((x) => x.rackId === r.rackId);
    const info: LayoutRack = i >= 0 ? { ...(racks[i] as LayoutRack), expected: r.expected } : { ...r };
    if (i >= 0) racks[i] = info;
    else {
      if (racks.filter((x) => x.floorId === r.floorId).length >= MAX_RACKS_PER_FLOOR)
        return { rejected: 'floor_full', message: `A floor holds at most ${MAX_RACKS_PER_FLOOR} racks` };
      racks.push(info);
    }
    touched.racks.push({ rackId: r.rackId, info });
    if (!touched.floors.includes(info.floorId)) touched.floors.push(info.floorId);
  }
  for (const id of cmd.floors) if (!touched.floors.includes(id)) touched.floors.push(id);
  return next({ floors, racks }, touched);
}

function duplicateItem(items: ExpectedItem[]): string | null {
  const seen = new Set<string>();
  for (const i of items) {
    if (seen.has(i.item_code)) return i.item_code;
    seen.add(i.item_code);
  }
  return null;
}
