/**
 * The Warehouse's word on a rack: its floor, expected stock and settings. A write binds the object to its rack and
 * stores that word; a read asks without storing; the Warehouse pushes changes (an import, a setting) through
 * `configure`. A cached word older than CONFIG_TTL_MS is asked again.
 */
import { NO_THRESHOLDS } from '../../core/racks/review.ts';
import type { RackInfo } from '../../core/racks/warehouse.ts';
import type { Env } from '../platform/env.ts';
import { warehouseStub } from '../platform/stubs.ts';
import type { RackConfig } from './host.ts';

/** A cached layout answer older than this is asked again, in case a pushed change never arrived. */
const CONFIG_TTL_MS = 5 * 60_000;

/** What the layout needs from its object (the identity and config stay fields of the Rack). */
export interface LayoutHost {
  readonly env: Env;
  now(): number;
  rackId(): string | null;
  config(): RackConfig | null;
  /** Stores the rack id (once) and its floor. */
  bindTo(rackId: string, floorId: string): void;
  saveConfig(config: RackConfig): void;
}

export class RackLayout {
  private lookup: Promise<RackInfo | null> | null = null;
  /** A read's last answer from the Warehouse (in memory only: reads store nothing). */
  private peeked: { rackId: string; info: RackInfo | null; at: number } | null = null;

  constructor(private readonly host: LayoutHost) {}

  /** The Warehouse's word on this rack: its floor, expected items and settings, or null once removed. */
  configure(rackId: string, info: RackInfo | null): void {
    const bound = this.host.rackId();
    if (bound !== null && bound !== rackId) return;
    this.peeked = null;
    if (info) this.learn(rackId, info);
    else this.forget();
  }

  /**
   * The object belongs to one rack of the layout: the name it was first used
   * with. Its floor and expected items come from the Warehouse once, then from
   * the cache (the Warehouse pushes changes); a removed rack answers not found.
   */
  async bind(rackId: string): Promise<boolean> {
    if (this.host.rackId() !== null && this.host.rackId() !== rackId) return false;
    const cached = this.host.rackId() !== null ? this.host.config() : null;
    if (cached && this.host.now() - (cached.checkedAt ?? 0) < CONFIG_TTL_MS) return !cached.removed;
    let info: RackInfo | null;
    try {
      info = await this.askWarehouse(rackId);
    } catch (err) {
      // The Warehouse cannot answer: a rack that knows its layout carries on with it.
      if (cached) return !cached.removed;
      throw err;
    }
    if (this.host.rackId() !== null && this.host.rackId() !== rackId) return false;
    if (info) this.learn(rackId, info);
    else this.forget();
    return info !== null;
  }

  /**
   * What the layout says about `rackId`, for a read, with no side effect: the cached config when it is this rack's
   * and fresh, else the Warehouse's answer, remembered in memory for the TTL but never stored. Only writes (and the
   * Warehouse's pushes) bind the object and store its config.
   */
  async peek(rackId: string): Promise<RackInfo | null> {
    if (this.host.rackId() !== null && this.host.rackId() !== rackId) return null;
    const now = this.host.now();
    const cached = this.host.rackId() !== null ? this.host.config() : null;
    const known = (c: RackConfig): RackInfo | null =>
      c.removed
        ? null
        : {
            rackId,
            floorId: c.floorId,
            expected: c.expected,
            blindEffective: c.blind ?? false,
            review: c.review ?? NO_THRESHOLDS,
          };
    if (cached && now - (cached.checkedAt ?? 0) < CONFIG_TTL_MS) return known(cached);
    if (this.peeked?.rackId === rackId && now - this.peeked.at < CONFIG_TTL_MS) return this.peeked.info;
    try {
      const info = await this.askWarehouse(rackId);
      this.peeked = { rackId, info, at: now };
      return this.host.rackId() !== null && this.host.rackId() !== rackId ? null : info;
    } catch (err) {
      // The Warehouse cannot answer: a rack that knows its layout carries on with it.
      if (cached) return known(cached);
      throw err;
    }
  }

  /** The Warehouse's word on `rackId`; concurrent requests share one lookup. */
  private askWarehouse(rackId: string): Promise<RackInfo | null> {
    this.lookup ??= warehouseStub(this.host.env)
      .rackInfo(rackId)
      .finally(() => {
        this.lookup = null;
      });
    return this.lookup;
  }

  private learn(rackId: string, info: RackInfo): void {
    this.host.bindTo(rackId, info.floorId);
    this.host.saveConfig({
      floorId: info.floorId,
      expected: info.expected,
      removed: false,
      checkedAt: this.host.now(),
      blind: info.blindEffective,
      review: info.review,
    });
  }

  /** The Warehouse no longer knows the bound rack: its config is kept, marked removed. */
  private forget(): void {
    const config = this.host.config();
    if (this.host.rackId() !== null && config)
      this.host.saveConfig({ ...config, removed: true, checkedAt: this.host.now() });
  }
}
