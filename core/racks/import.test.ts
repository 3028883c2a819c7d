import { describe, expect, it } from 'vitest';
import { parseStockCsv, planImport } from './import.ts';
import { type Layout, applyLayout } from './warehouse.ts';

const layout: Layout = {
  version: 3,
  floors: [{ id: 'ground', name: 'Ground', position: 0 }],
  racks: [
    {
      rackId: 'G01',
      floorId: 'ground',
      expected: [
        { item_code: 'A', expected_qty: 2 },
        { item_code: 'B', expected_qty: 5 },
      ],
    },
  ],
};

describe('stock import', () => {
  it('parses rows with description and serials; reports per-row errors by column', () => {
    const p = parseStockCsv(
      'rack,item_code,description,expected_qty,serials\r\nG01,A,Bolts,4,S1|S2\r\nG01,,x,1,\r\nbad id,C,,x,\r\nG01,A,again,1,\r\n',
    );
    expect(p.rows).toEqual([
      {
        row: 2,
        rack: 'G01',
        floor: null,
        item: { item_code: 'A', expected_qty: 4, description: 'Bolts', serials: ['S1', 'S2'] },
      },
    ]);
    expect(p.errors).toEqual([
      { row: 3, column: 'item_code', message: expect.any(String) },
      { row: 4, column: 'rack', message: expect.any(String) },
      { row: 4, column: 'expected_qty', message: expect.any(String) },
      { row: 5, column: 'item_code', message: expect.stringContaining('listed twice') },
    ]);
  });

  it('a missing column is one error on the header row', () => {
    expect(parseStockCsv('rack,item_code,description\nG01,A,x\n').errors).toEqual([
      { row: 1, message: expect.stringContaining('expected_qty') },
    ]);
  });

  it('merge keeps other items, replace sets exactly the listed ones; a new rack needs its floor', () => {
    const rows = parseStockCsv(
      'rack,item_code,expected_qty,floor,description,serials\nG01,A,7,,,\nN01,Z,1,mezz,,\nN02,Z,1,,,\n',
    );
    const merged = planImport(layout, rows.rows, 'merge');
    expect(merged.racks.find((r) => r.rack_id === 'G01')?.expected).toEqual([
      { item_code: 'A', expected_qty: 7 },
      { item_code: 'B', expected_qty: 5 },
    ]);
    expect(merged.floorsCreated).toEqual(['mezz']);
    expect(merged.errors).toEqual([{ row: 4, column: 'floor', message: expect.stringContaining('N02') }]);
    const replaced = planImport(layout, rows.rows, 'replace');
    expect(replaced.racks.find((r) => r.rack_id === 'G01')?.expected).toEqual([{ item_code: 'A', expected_qty: 7 }]);
  });

  it('applying a plan and planning the same file again finds nothing to change (idempotent)', () => {
    const rows = parseStockCsv(
      'rack,item_code,description,expected_qty,serials,floor\nG01,A,Bolts,7,S1,\nN01,Z,,1,,mezz\n',
    ).rows;
    const plan = planImport(layout, rows, 'replace');
    const out = applyLayout(layout, {
      type: 'import',
      floors: plan.floorsCreated,
      racks: plan.racks
        .filter((r) => r.status !== 'unchanged')
        .map((r) => ({ rackId: r.rack_id, floorId: r.floor, expected: r.expected })),
    });
    if ('rejected' in out) throw new Error(out.message);
    const again = planImport(out.layout, rows, 'replace');
    expect(again.racks.map((r) => r.status)).toEqual(['unchanged', 'unchanged']);
    expect(again.floorsCreated).toEqual([]);
  });
});
