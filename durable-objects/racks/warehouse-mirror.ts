/**
 * What a warehouse layout change sends to the mirrors: the touched floors,
 * racks and expected items as rows, the cache tags it invalidates, and how it
 * lands in Postgres (floors, racks, rack_items). The rows ride the rack outbox
 * kind (`rack.warehouse`), so the mirror writer hands them here.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { floorsTable, rackItemsTable, racksTable } from '../../drizzle/schema.ts';
import type { Thresholds } from '../../core/racks/review.ts';
import type { ExpectedItem } from '../../core/racks/summary.ts';
import { type Layout, type LayoutTouch, floorOf, itemEstimate } from '../../core/racks/warehouse.ts';
import type { OutboxRow } from '../platform/outbox.ts';
import { type Tx, checked } from '../platform/mirrors/rows.ts';

export interface WarehouseMirrorPayload {
  /** Always 'warehouse' (the event log's aggregate id). */
  rackId: 'warehouse';
  event: 'warehouse';
  command: string;
  version: number;
  at: number;
  actor: { id: string | null; role: 'admin' | 'system' };
  floors: Array<{ id: string; name: string; position: number; blind?: boolean; review?: Thresholds | null }>;
  racks: Array<{ id: string; floorId: string; itemEstimate: number; expected: ExpectedItem[]; blind?: boolean | null }>;
  removedRacks: string[];
}

/** The rows of a change: every touched floor and rack as it now is. */
export function warehouseRows(
  layout: Layout,
  touched: LayoutTouch,
): Pick<WarehouseMirrorPayload, 'floors' | 'racks' | 'removedRacks'> {
  return {
    floors: touched.floors.flatMap((id) => {
      const f = floorOf(layout, id);
      return f
        ? [{ id: f.id, name: f.name, position: f.position, blind: f.blind ?? false, review: f.review ?? null }]
        : [];
    }),
    racks: touched.racks.flatMap(({ info }) =>
      info
        ? [
            {
              id: info.rackId,
              floorId: info.floorId,
              itemEstimate: itemEstimate(info),
              expected: info.expected,
              blind: info.blind ?? null,
            },
          ]
        : [],
    ),
    removedRacks: touched.racks.filter((r) => r.info === null).map((r) => r.rackId),
  };
}

/** A floor's available list and its rack count change. */
export function warehouseCacheTags(row: OutboxRow): string[] {
  if (row.kind !== 'rack.warehouse') return [];
  const p = row.payload as WarehouseMirrorPayload;
  return [
    ...new Set([...p.floors.map((f) => `racks:floor:${f.id}`), ...p.racks.map((r) => `racks:floor:${r.floorId}`)]),
  ];
}

export const isWarehousePayload = (p: { event?: unknown }): p is WarehouseMirrorPayload => p.event === 'warehouse';

/** Upserts floors and racks (never touching a rack's lease status), replaces the expected items, deletes removed racks. */
export async function writeWarehouse(tx: Tx, p: WarehouseMirrorPayload): Promise<void> {
  for (const f of p.floors) {
    const row = {
      id: f.id,
      name: f.name,
      position: f.position,
      blind: f.blind ?? false,
      review: (f.review ?? null) as Record<string, unknown> | null,
    };
    await tx
      .insert(floorsTable)
      .values(checked('floors', row))
      .onConflictDoUpdate({
        target: floorsTable.id,
        set: { name: f.name, position: f.position, blind: row.blind, review: row.review },
      });
  }
  for (const r of p.racks) {
    await tx
      .insert(racksTable)
      .values(
        checked('racks', {
          id: r.id,
          floorId: r.floorId,
          name: r.id,
          itemEstimate: r.itemEstimate,
          blind: r.blind ?? null,
          updatedAt: new Date(p.at),
        }),
      )
      .onConflictDoUpdate({
        target: racksTable.id,
        set: {
          floorId: r.floorId,
          itemEstimate: r.itemEstimate,
          blind: r.blind ?? null,
          updatedAt: sql`greatest(${racksTable.updatedAt}, excluded.updated_at)`,
        },
      });
    await tx.delete(rackItemsTable).where(eq(rackItemsTable.rackId, r.id));
    if (r.expected.length > 0)
      await tx.insert(rackItemsTable).values(
        r.expected.map((e) =>
          checked('rackItems', {
            rackId: r.id,
            itemCode: e.item_code,
            expectedQty: e.expected_qty,
            description: e.description ?? null,
            serials: e.serials ?? null,
          }),
        ),
      );
  }
  if (p.removedRacks.length > 0) {
    await tx.delete(rackItemsTable).where(inArray(rackItemsTable.rackId, p.removedRacks));
    await tx.delete(racksTable).where(inArray(racksTable.id, p.removedRacks));
  }
}
