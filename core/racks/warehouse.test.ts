import { describe, expect, it } from 'vitest';
import { type Layout, type LayoutResult, applyLayout, itemEstimate, racksOn } from './warehouse.ts';

const base: Layout = {
  version: 3,
  floors: [{ id: 'ground', name: 'Ground', position: 0 }],
  racks: [{ rackId: 'G01', floorId: 'ground', expected: [{ item_code: 'A', expected_qty: 2 }] }],
};

function ok(r: LayoutResult) {
  if ('rejected' in r) throw new Error(r.rejected);
  return r;
}

describe('warehouse layout', () => {
  it('creates and renames floors; ids are unique', () => {
    const a = ok(applyLayout(base, { type: 'create-floor', id: 'mezz', name: 'Mezzanine' }));
    expect(a.layout.version).toBe(4);
    expect(a.layout.floors.at(-1)).toEqual({ id: 'mezz', name: 'Mezzanine', position: 1 });
    expect(a.touched).toEqual({ racks: [], floors: ['mezz'] });
    expect(applyLayout(a.layout, { type: 'create-floor', id: 'mezz', name: 'Again' })).toMatchObject({
      rejected: 'floor_exists',
    });
    const b = ok(applyLayout(a.layout, { type: 'rename-floor', id: 'mezz', name: 'Upper' }));
    expect(b.layout.floors.find((f) => f.id === 'mezz')?.name).toBe('Upper');
    expect(applyLayout(base, { type: 'rename-floor', id: 'attic', name: 'x' })).toMatchObject({
      rejected: 'floor_not_found',
    });
  });

  it('adds and removes racks, telling the rack and its floor; rack ids are unique across floors', () => {
    const withMezz = ok(applyLayout(base, { type: 'create-floor', id: 'mezz', name: 'M' })).layout;
    const a = ok(applyLayout(withMezz, { type: 'add-rack', floorId: 'mezz', rackId: 'M01', expected: [] }));
    expect(a.touched).toEqual({
      racks: [{ rackId: 'M01', info: { rackId: 'M01', floorId: 'mezz', expected: [] } }],
      floors: ['mezz'],
    });
    expect(applyLayout(a.layout, { type: 'add-rack', floorId: 'mezz', rackId: 'G01', expected: [] })).toMatchObject({
      rejected: 'rack_exists',
    });
    expect(applyLayout(a.layout, { type: 'add-rack', floorId: 'attic', rackId: 'X1', expected: [] })).toMatchObject({
      rejected: 'floor_not_found',
    });
    const b = ok(applyLayout(a.layout, { type: 'remove-rack', rackId: 'G01' }));
    expect(b.touched).toEqual({ racks: [{ rackId: 'G01', info: null }], floors: ['ground'] });
    expect(racksOn(b.layout, 'ground')).toEqual([]);
    expect(applyLayout(b.layout, { type: 'remove-rack', rackId: 'G01' })).toMatchObject({ rejected: 'rack_not_found' });
  });

  it('sets expected items; an item listed twice is refused', () => {
    const a = ok(
      applyLayout(base, {
        type: 'set-expected',
        rackId: 'G01',
        expected: [
          { item_code: 'B', expected_qty: 5 },
          { item_code: 'C', expected_qty: 1 },
        ],
      }),
    );
    expect(itemEstimate(a.layout.racks[0]!)).toBe(6);
    expect(a.touched.racks[0]?.info?.expected).toHaveLength(2);
    expect(
      applyLayout(base, {
        type: 'set-expected',
        rackId: 'G01',
        expected: [
          { item_code: 'B', expected_qty: 5 },
          { item_code: 'B', expected_qty: 1 },
        ],
      }),
    ).toMatchObject({ rejected: 'duplicate_item' });
    expect(applyLayout(base, { type: 'set-expected', rackId: 'Z9', expected: [] })).toMatchObject({
      rejected: 'rack_not_found',
    });
  });

  it('lists a floor’s racks in id order', () => {
    let l = base;
    for (const id of ['G10', 'G02'])
      l = ok(applyLayout(l, { type: 'add-rack', floorId: 'ground', rackId: id, expected: [] })).layout;
    expect(racksOn(l, 'ground').map((r) => r.rackId)).toEqual(['G01', 'G02', 'G10']);
  });
});
