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
  applyLayout,
  floorOf,
  itemEstimate,
  racksOn,
  rackOf,
} from '../../core/racks/warehouse.ts';
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
}

interface FloorSummary {
  id: string;
  name: string;
  rack_count: number;
}

export class Warehouse extends KeeptimeObject {
  private layout: Layout;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const stored = this.kv.get<Layout>('layout');
    if (stored) this.layout = stored;
    else {
      // First use: the dev seed, journaled so Postgres learns the floors and racks too.
      this.layout = seedLayout();
      const now = this.clock.now();
      ctx.storage.transactionSync(() => {
        this.kv.put('layout', this.layout);
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
      .map((f) => ({ id: f.id, name: f.name, rack_count: racksOn(this.layout, f.id).length }));
  }

  /** A rack's floor and expected items; null when there is no such rack. */
  async rackInfo(rackId: string): Promise<LayoutRack | null> {
    return rackOf(this.layout, rackId);
  }

  /** A floor's racks in id order; null when there is no such floor. */
  async floorRacks(floorId: string): Promise<FloorRack[] | null> {
    if (!floorOf(this.layout, floorId)) return null;
    return racksOn(this.layout, floorId).map((r) => ({ rack_id: r.rackId, item_estimate: itemEstimate(r) }));
  }

  // ── Admin changes ──────────────────────────────────────────────────────
  async change(cmd: LayoutCommand, adminId: string): Promise<Answer<Layout>> {
    const out = applyLayout(this.layout, cmd);
    if ('rejected' in out) return refuse(out.rejected, out.message);
    const now = this.clock.now();
    await this.commit(() => {
      this.kv.put('layout', out.layout);
      this.appendOutbox('rack.warehouse', this.payload(out.touched, adminId, now, out.layout, cmd.type), now);
    });
    this.layout = out.layout;
    await this.tell(out.touched);
    return accept(this.layout);
  }

  /** Pushes the change to the racks and floors it touched; one that cannot be reached is logged and learns it on its next cold start. */
  private async tell(touched: LayoutTouch): Promise<void> {
    const jobs = [
      ...touched.racks.map(async ({ rackId, info }) => {
        const rack = rackStub(this.env, rackId);
        await rack.configure(rackId, info);
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
