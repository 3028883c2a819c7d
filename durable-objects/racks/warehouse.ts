/**
 * Warehouse: the one owner of the layout (one global instance): floors, their
 * racks and what each rack should hold. Seeded on first use with the dev seed
 * (two floors of 12 racks). An admin change runs the pure rule
 * (core/racks/warehouse.ts), saves it with its outbox row in one transaction, then
 * tells the Rack and Floor objects it touched (they cache what they need and
 * ask here when their cache is empty).
 */
import {
  type Layout,
  type LayoutCommand,
  type LayoutRack,
  type LayoutTouch,
  type RackInfo,
  applyLayout,
  floorOf,
  itemEstimate,
  racksOn,
  rackInfoOf,
} from '../../core/racks/warehouse.ts';
import { type ImportMode, type ImportPlan, type StockRow, planImport } from '../../core/racks/import.ts';
import { type Answer, accept, refuse } from '../../core/errors.ts';
import { KeeptimeObject } from '../platform/object.ts';
import { floorStub, rackStub } from '../platform/stubs.ts';
import type { ObjectRef } from '../ops/ops.ts';
import type { OutboxRow } from '../platform/outbox.ts';
import { seedLayout } from './seed.ts';
import { type WarehouseMirrorPayload, warehouseCacheTags, warehouseRows } from './warehouse-mirror.ts';
import type { Env } from '../platform/env.ts';

/** A floor's racks as the Floor object keeps them. */
export interface FloorRack {
  rack_id: string;
  item_estimate: number;
  /** Blind counting in force on the rack (absent on lists stored before it existed). */
  blind?: boolean;
}

interface FloorSummary {
  id: string;
  name: string;
  rack_count: number;
  blind: boolean;
}

/** A stock import's answer from the Warehouse: the plan, and whether it was applied. */
export interface ImportOutcome extends ImportPlan {
  applied: boolean;
  version: number;
}

export class Warehouse extends KeeptimeObject {
  private layout: Layout;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const stored = this.kv.get<Layout>('layout');
    if (stored)
      // Expected items live one key per rack (a stock import can be megabytes); layouts stored before kept them inline.
      this.layout = {
        ...stored,
        racks: stored.racks.map((r) => ({ ...r, expected: this.kv.get(`expected:${r.rackId}`) ?? r.expected })),
      };
    else {
      // First use: the dev seed, journaled so Postgres learns the floors and racks too.
      this.layout = seedLayout();
      const now = this.clock.now();
      ctx.storage.transactionSync(() => {
        this.store(
          this.layout,
          this.layout.racks.map((r) => r.rackId),
          [],
        );
        this.appendOutbox(
          'rack.warehouse',
          this.payload(
            {
              racks: this.layout.racks.map((r) => ({ rackId: r.rackId, info: r })),
              floors: this.layout.floors.map((f) => f.id),
            },
            null,
            now,
          ),
          now,
        );
      });
      void ctx.blockConcurrencyWhile(() => this.schedule.arm(now));
    }
  }

  protected override currentVersion(): number {
    return this.layout.version;
  }

  // ── Reads ──────────────────────────────────────────────────────────────
  async snapshot(): Promise<Layout> {
    return this.layout;
  }

  async floors(): Promise<FloorSummary[]> {
    return [...this.layout.floors]
      .sort((a, b) => a.position - b.position)
      .map((f) => ({
        id: f.id,
        name: f.name,
        rack_count: racksOn(this.layout, f.id).length,
        blind: f.blind ?? false,
      }));
  }

  /** A rack's floor, expected items and the floor's settings; null when there is no such rack. */
  async rackInfo(rackId: string): Promise<RackInfo | null> {
    return rackInfoOf(this.layout, rackId);
  }

  /** A floor's racks in id order; null when there is no such floor. */
  async floorRacks(floorId: string): Promise<FloorRack[] | null> {
    if (!floorOf(this.layout, floorId)) return null;
    return racksOn(this.layout, floorId).map((r) => ({
      rack_id: r.rackId,
      item_estimate: itemEstimate(r),
      blind: rackInfoOf(this.layout, r.rackId)?.blindEffective ?? false,
    }));
  }

  /**
   * A stock import: planned against the layout as it is now, applied as one change when `apply` and the plan has no
   * errors. Racks whose list would not change are left alone, so the same file again changes nothing.
   */
  async importStock(rows: StockRow[], mode: ImportMode, apply: boolean, adminId: string): Promise<ImportOutcome> {
    const plan = planImport(this.layout, rows, mode);
    const changed = plan.racks.filter((r) => r.status !== 'unchanged');
    if (!apply || plan.errors.length > 0 || (changed.length === 0 && plan.floorsCreated.length === 0))
      return { ...plan, applied: false, version: this.layout.version };
    const cmd: LayoutCommand = {
      type: 'import',
      floors: plan.floorsCreated,
      racks: changed.map((r) => ({ rackId: r.rack_id, floorId: r.floor, expected: r.expected })),
    };
    const out = await this.change(cmd, adminId);
    if (!out.ok)
      return { ...plan, errors: [{ row: 0, message: out.message }], applied: false, version: this.layout.version };
    return { ...plan, applied: true, version: out.value.version };
  }

  // ── Admin changes ──────────────────────────────────────────────────────
  async change(cmd: LayoutCommand, adminId: string): Promise<Answer<Layout>> {
    const out = applyLayout(this.layout, cmd);
    if ('rejected' in out) return refuse(out.rejected, out.message);
    const now = this.clock.now();
    await this.commit(() => {
      const removed = out.touched.racks.filter((r) => r.info === null).map((r) => r.rackId);
      const written = out.touched.racks.filter((r) => r.info !== null).map((r) => r.rackId);
      this.store(out.layout, written, removed);
      // One outbox row per slice of racks, so no journaled value grows with a big import.
      for (const part of sliceTouched(out.touched))
        this.appendOutbox('rack.warehouse', this.payload(part, adminId, now, out.layout, cmd.type), now);
    });
    this.layout = out.layout;
    await this.tell(out.touched);
    return accept(this.layout);
  }

  /** The layout (expected items stripped) and the expected items of `written` racks, one key each. */
  private store(layout: Layout, written: string[], removed: string[]): void {
    this.kv.put('layout', { ...layout, racks: layout.racks.map((r) => ({ ...r, expected: [] })) });
    for (const id of written) this.kv.put(`expected:${id}`, rackInfoOf(layout, id)?.expected ?? []);
    for (const id of removed) this.kv.delete(`expected:${id}`);
  }

  /** Pushes the change to the racks and floors it touched; one that cannot be reached is logged and learns it on its next cold start. */
  private async tell(touched: LayoutTouch): Promise<void> {
    const jobs = [
      ...touched.racks.map(async ({ rackId, info }) => {
        const rack = rackStub(this.env, rackId);
        await rack.configure(rackId, info ? rackInfoOf(this.layout, rackId) : null);
      }),
      ...touched.floors.map(async (floorId) => {
        const floor = floorStub(this.env, floorId);
        await floor.configure(floorId, await this.floorRacks(floorId));
      }),
    ];
    const results = await Promise.allSettled(jobs);
    for (const r of results)
      if (r.status === 'rejected')
        console.warn(JSON.stringify({ level: 'warn', msg: 'warehouse change not delivered', error: String(r.reason) }));
  }

  private payload(
    touched: LayoutTouch,
    adminId: string | null,
    now: number,
    layout: Layout = this.layout,
    command = 'seed',
  ): WarehouseMirrorPayload {
    return {
      rackId: 'warehouse',
      event: 'warehouse',
      command,
      version: layout.version,
      at: now,
      actor: adminId ? { id: adminId, role: 'admin' } : { id: null, role: 'system' },
      ...warehouseRows(layout, touched),
    };
  }

  /** One global object: its outbox depth and dead letters are reported to Ops like any other. */
  protected override mirrorRef(): ObjectRef | null {
    return { kind: 'warehouse', name: 'global' };
  }

  protected override cacheTags(row: OutboxRow): string[] {
    return warehouseCacheTags(row);
  }
}

/** About this many expected items go in one `rack.warehouse` outbox row. */
const ITEMS_PER_ROW = 2000;

/** A change's touched racks in slices of about ITEMS_PER_ROW items; the floors ride the first. At least one slice. */
function sliceTouched(t: LayoutTouch): LayoutTouch[] {
  const out: LayoutTouch[] = [];
  let cur: LayoutTouch = { racks: [], floors: t.floors };
  let n = 0;
  for (const r of t.racks) {
    const size = r.info?.expected.length ?? 0;
    if (cur.racks.length > 0 && n + size > ITEMS_PER_ROW) {
      out.push(cur);
      cur = { racks: [], floors: [] };
      n = 0;
    }
    cur.racks.push(r);
    n += size;
  }
  out.push(cur);
  return out;
}
