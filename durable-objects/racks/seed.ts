/**
 * The dev seed of the warehouse: two floors ('ground', 'first') of 12 racks
 * each, with the items every rack is expected to hold. Deterministic. The
 * Warehouse object starts from it (seedLayout) and admins change it from
 * there; tests and tools still read the seed directly.
 */
import type { ExpectedItem } from '../../core/racks/summary.ts';
import type { Layout } from '../../core/racks/warehouse.ts';

interface FloorInfo {
  id: string;
  name: string;
  rack_count: number;
}

interface RackInfo {
  rackId: string;
  floorId: string;
  expected: ExpectedItem[];
}

const FLOORS = [
  { id: 'ground', name: 'Ground', prefix: 'G' },
  { id: 'first', name: 'First', prefix: 'F' },
] as const;
const RACKS_PER_FLOOR = 12;

export const floors = (): FloorInfo[] => FLOORS.map((f) => ({ id: f.id, name: f.name, rack_count: RACKS_PER_FLOOR }));

/** Rack ids of a floor: `G01`…`G12` on the ground floor, `F01`…`F12` on the first. */
export function racksOf(floorId: string): RackInfo[] {
  const f = FLOORS.find((x) => x.id === floorId);
  if (!f) return [];
  return Array.from({ length: RACKS_PER_FLOOR }, (_, i) => {
    const rackId = `${f.prefix}${String(i + 1).padStart(2, '0')}`;
    // 3 to 5 items per rack, 2 to 9 of each.
    const expected = Array.from({ length: 3 + (i % 3) }, (_, j) => ({
      item_code: `${rackId}-ITEM${j + 1}`,
      expected_qty: 2 + ((i + j * 3) % 8),
    }));
    return { rackId, floorId: f.id, expected };
  });
}

export function rackInfo(rackId: string): RackInfo | null {
  for (const f of FLOORS) {
    const r = racksOf(f.id).find((x) => x.rackId === rackId);
    if (r) return r;
  }
  return null;
}

/** The rack a session id names: session ids are `<rackId>:<fencingToken>`. */
export function rackOfSession(sessionId: string): string | null {
  const m = /^([A-Za-z0-9_-]{1,64}):(\d{1,16})$/.exec(sessionId);
  return m ? (m[1] as string) : null;
}

/** The dev seed as the Warehouse object's first layout: two floors of 12 racks. */
export function seedLayout(): Layout {
  return {
    version: 0,
    floors: FLOORS.map((f, position) => ({ id: f.id, name: f.name, position })),
    racks: FLOORS.flatMap((f) =>
      racksOf(f.id).map((r) => ({ rackId: r.rackId, floorId: r.floorId, expected: r.expected })),
    ),
  };
}
