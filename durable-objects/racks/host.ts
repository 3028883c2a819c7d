/**
 * What the Rack's modules (handoff.ts, completion.ts, review-desk.ts, conflict-desk.ts, scan-sync.ts, reads.ts,
 * audit-flow.ts, board.ts, lease-engine.ts) need from the object: its state, stores and the one way it applies a lease change
 * (run, settle, save, then announce). The Rack builds one host over itself; the modules store nothing of their own.
 */
import type { Answer } from '../../core/errors.ts';
import type { LeaseCommand, Lease, LeaseEvent, LeaseState, LeaseTiming } from '../../core/racks/lease.ts';
import type { Thresholds } from '../../core/racks/review.ts';
import type { AuditSummary, ExpectedItem } from '../../core/racks/summary.ts';
import type { RackInfo } from '../../core/racks/warehouse.ts';
import type { Env } from '../platform/env.ts';
import type { AuditContext } from './audit-context.ts';
import type { AuditStore } from './audit-store.ts';
import type { RackMirrorPayload } from './mirror.ts';
import type { ReviewStore } from './review-store.ts';
import type { RackSessionRecord, RackStatus, SessionEnd } from './view.ts';

/** What the Warehouse said about this rack, cached; `removed` once an admin took it away. */
export interface RackConfig {
  floorId: string;
  expected: ExpectedItem[];
  removed: boolean;
  /** Blind counting in force, and the floor's review thresholds (absent on configs stored before them). */
  blind?: boolean;
  review?: Thresholds;
  /** When the Warehouse last said so (absent on configs stored before it was kept). */
  checkedAt?: number;
}

/** A claim's answer (a hand-off answers the same and more). */
export interface ClaimValue {
  success: true;
  rack_id: string;
  session_id: string;
  floor: string;
  fencing_token: number;
  /** Seconds, as the seed app answered; `lock_ttl_ms` is the same in milliseconds (the contract's unit). */
  lock_ttl: number;
  lock_ttl_ms: number;
  expires_at: number;
  /** A recount lease counts only `items` of the reviewed audit `audit_id`. */
  mode: 'audit' | 'recount';
  audit_id: string | null;
  items: string[] | null;
}

export type Actor = RackMirrorPayload['actor'];
export type Member = { id: string; role: 'admin' | 'member' };

/** Storage caps; tests lower them on the live instance. */
export interface RackCaps {
  items: number;
  openConflicts: number;
  seen: number;
}

export interface RackHost {
  readonly env: Env;
  /** Items, answered record ids, conflicts and ended sessions (audit-store.ts). */
  readonly audit: AuditStore;
  /** Completed audits and their reviews (review-store.ts). */
  readonly reviews: ReviewStore;
  now(): number;
  /** The rack the object is bound to and its floor (set by the first write). */
  rackId(): string;
  floorId(): string;
  lease(): LeaseState | null;
  config(): RackConfig | null;
  timing(): LeaseTiming;
  caps(): RackCaps;
  /** What the live (or last) lease's audit was fixed with at its claim (audit-context.ts). */
  auditCtx(): AuditContext | null;
  setAuditCtx(ctx: AuditContext): void;
  /** Which audit is in progress: it rises with every completion. */
  auditNo(): number;
  nextAudit(): void;

  bind(rackId: string): Promise<boolean>;
  peek(rackId: string): Promise<RackInfo | null>;
  fence(userId: string, sessionId: string | null, fencingToken: number): Answer<never> | null;
  settle(): Promise<void>;
  run(
    cmd: LeaseCommand,
    actor: Actor,
    also?: (events: LeaseEvent[], now: number) => void,
  ): Promise<Answer<Lease | null>>;
  save(next: LeaseState, events: LeaseEvent[], actor: Actor, now: number, also?: () => void): Promise<void>;
  commit(write: () => void): Promise<void>;
  announce(now: number): Promise<void>;
  status(rackId?: string, floorId?: string): RackStatus;
  endRecord(l: Lease, end: SessionEnd, at: number, summary: AuditSummary | null): RackSessionRecord;
  payload(
    type: string,
    l: Lease,
    actor: Actor,
    now: number,
    version: number,
    extra: Partial<RackMirrorPayload>,
  ): RackMirrorPayload;
  appendOutbox(kind: string, payload: unknown, now: number): string;
  scheduleReport(now: number): void;
  broadcast(msg: object, filter?: (meta: { userId: string | null }) => boolean): void;
}
