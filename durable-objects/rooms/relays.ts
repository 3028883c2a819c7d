/**
 * A room's relays, as the room sees them: when a share-link viewer goes to one and which, what each reported
 * holding (for presence and the devices list), and the one call per relay per change. The room stays the only owner
 * of state; relays cache it (relay.ts).
 *
 * Assignment: past `threshold` viewers in all, a viewer draws `r` uniformly from [0, R), R = ceil(viewers / perRelay)
 * (at least 1). A per-connection draw, not the viewer's identity: in a reconnect storm each viewer draws again, so a
 * dead relay's viewers land on all the others.
 */
import type { RoomState } from '../../core/rooms/transition.ts';
import type { Env } from '../platform/env.ts';
import type { JsonStore } from '../platform/kv.ts';
import type { Limits } from '../platform/limits-config.ts';
import {
  type Presence,
  RELAY_HEADER,
  type RelayCatchUp,
  type RelaySeat,
  type RelayDeviceAction,
  type RelayPublish,
  type RelayReport,
  relayStub,
} from './relay-protocol.ts';

/** A relay that failed this many publishes in a row is dropped until a viewer is assigned to it again. */
const MAX_FAILURES = 3;
/** Device ids a relay reports at most (the devices list names at most 200 viewers anyway). */
export const REPORTED_DEVICES = 200;

interface Held {
  viewers: number;
  deviceIds: string[];
}

export interface RelayConfig {
  threshold: number;
  perRelay: number;
}

export class RoomRelays {
  /** What each relay last reported (persisted: a woken room still knows its relays and their viewers). */
  private held: Map<number, Held>;
  private readonly failures = new Map<number, number>();
  private readonly stubs = new Map<number, ReturnType<typeof relayStub>>();

  constructor(
    private readonly env: Env,
    private readonly limits: Pick<Limits, 'relayThreshold' | 'viewersPerRelay'>,
    private readonly kv: () => JsonStore,
    private readonly roomId: () => string,
  ) {
    this.held = new Map(Object.entries(kv().get<Record<string, Held>>('relays') ?? {}).map(([k, v]) => [Number(k), v]));
  }

  /** Viewers on relays, in all. */
  viewers(): number {
    let n = 0;
    for (const h of this.held.values()) n += h.viewers;
    return n;
  }

  /** Whether a relay reported holding a socket of this device. */
  holdsDevice(deviceId: string): boolean {
    for (const h of this.held.values()) if (h.deviceIds.includes(deviceId)) return true;
    return false;
  }

  /** Device ids connected through relays (for the devices list's online/offline split). */
  deviceIds(): string[] {
    return [...this.held.values()].flatMap((h) => h.deviceIds);
  }

  /** The threshold and share: the environment's, or (tests only) this room's own. */
  config(): RelayConfig {
    const own = testHooksOn(this.env) ? this.kv().get<RelayConfig>('relayConfig') : null;
    return own ?? { threshold: this.limits.relayThreshold, perRelay: this.limits.viewersPerRelay };
  }

  /** Test-only (TEST_HOOKS=1, development): this room's own threshold and share, or null for the environment's. */
  setTestConfig(config: RelayConfig | null): void {
    if (!testHooksOn(this.env)) throw new Error('relay config needs TEST_HOOKS=1 (and not production)');
    if (config) this.kv().put('relayConfig', config);
    else this.kv().delete('relayConfig');
  }

  /**
   * A share-link viewer's upgrade past the threshold: the answer that seats it on a relay (204 with the seat, which
   * the Worker follows), or null (the room takes it).
   */
  seat(localViewers: number, gen: number): Response | null {
    const index = this.assign(localViewers);
    if (index === null) return null;
    const seat: RelaySeat = { roomId: this.roomId(), index, gen };
    return new Response(null, { status: 204, headers: { [RELAY_HEADER]: JSON.stringify(seat) } });
  }

  /** The relay a new viewer goes to, or null (the room takes it: below the threshold). */
  assign(localViewers: number): number | null {
    const { threshold, perRelay } = this.config();
    const total = localViewers + this.viewers() + 1;
    if (total <= threshold) return null;
    const count = Math.max(1, Math.ceil(total / perRelay));
    const index = crypto.getRandomValues(new Uint32Array(1))[0]! % count;
    // Live from now on: the next change reaches it even before it reports.
    this.join(index);
    return index;
  }

  /** A relay asked to catch up: it is live, and gets every change from now on. */
  join(index: number): void {
    if (!this.held.has(index)) this.held.set(index, { viewers: 0, deviceIds: [] });
    this.failures.delete(index);
  }

  /** A relay catching up: it is live from now on; this is what it gets. */
  catchUp(index: number, state: RoomState, missed: object[] | null, minGen: number, presence: Presence): RelayCatchUp {
    this.join(index);
    return { state, missed, minGen, presence };
  }

  /** A relay's report; stored, so a woken room still counts its viewers. Returns whether presence changed. */
  report(index: number, r: RelayReport): boolean {
    const before = this.held.get(index);
    // A relay left with no viewer gets no more publishes (it catches up when a viewer is seated there again).
    if (r.viewers === 0) this.held.delete(index);
    else this.held.set(index, { viewers: r.viewers, deviceIds: r.deviceIds.slice(0, REPORTED_DEVICES) });
    this.failures.delete(index);
    this.save();
    return before?.viewers !== r.viewers;
  }

  /** One change, once to each live relay, in parallel; the room awaits none of them (relays catch up on a gap). */
  publish(roomId: string, from: number, state: RoomState, messages: object[]): void {
    if (this.held.size === 0 || messages.length === 0) return;
    for (const index of this.held.keys()) {
      const p: RelayPublish = { roomId, index, from, version: state.version, state, messages };
      this.call(index, (s) => s.publish(p));
    }
  }

  /** The new head count, to every live relay (coalesced by the room's presence gate). */
  presence(p: Presence): void {
    for (const index of this.held.keys()) this.call(index, (s) => s.presence(p));
  }

  /** The viewer link was rotated: relays close sockets opened with an older one. */
  revoke(minGen: number): void {
    for (const index of this.held.keys()) this.call(index, (s) => s.revoke(minGen));
  }

  /** The room was deleted: relays close every socket and forget the room. */
  async shutdown(): Promise<void> {
    await Promise.allSettled([...this.held.keys()].map((i) => this.stub(i).shutdown()));
    this.held.clear();
  }

  /** A device command for sockets on relays that reported the device; resolves to the sockets it reached. */
  async device(action: RelayDeviceAction): Promise<number> {
    const holding = [...this.held.entries()].filter(([, h]) => h.deviceIds.includes(action.deviceId));
    const reached = await Promise.allSettled(holding.map(([i]) => this.stub(i).device(action)));
    return reached.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0);
  }

  /** Forgets every relay (the room's storage was wiped). */
  reset(): void {
    this.held.clear();
    this.failures.clear();
  }

  private call(index: number, fn: (s: ReturnType<typeof relayStub>) => Promise<unknown>): void {
    fn(this.stub(index)).then(
      () => this.failures.delete(index),
      (err: unknown) => {
        const n = (this.failures.get(index) ?? 0) + 1;
        this.failures.set(index, n);
        console.warn(JSON.stringify({ level: 'warn', msg: 'relay call failed', relay: index, error: String(err) }));
        if (n >= MAX_FAILURES && this.held.delete(index)) this.save();
      },
    );
  }

  private stub(index: number) {
    let s = this.stubs.get(index);
    if (!s) {
      s = relayStub(this.env, this.roomId(), index);
      this.stubs.set(index, s);
    }
    return s;
  }

  private save(): void {
    this.kv().put('relays', Object.fromEntries(this.held));
  }
}

/** Test hooks are on only where the environment asks for them, and never in production. */
function testHooksOn(env: object): boolean {
  const e = env as { TEST_HOOKS?: string; ENVIRONMENT?: string };
  return e.TEST_HOOKS === '1' && e.ENVIRONMENT === 'development';
}
