/**
 * What the server says about racks, written once: a rack's status (the floor
 * board, GET /api/racks/:id/status, /api/racks/user/active) and every message
 * on the rack socket and the floor board socket. The Rack and Floor objects
 * send these; the site's guards (site/src/lib/racks/) check frames against
 * them, importing types only.
 */
import type { ErrorMessage, PongMessage } from '../wire.ts';
import type { ConflictChoice } from './conflict.ts';
import type { AuditStatus } from './review.ts';

type RackStatusName = 'available' | 'claimed' | 'paused';

export interface RackCounts {
  total: number;
  verified: number;
  damage: number;
  pending: number;
  /** Open conflicts on the rack (core/racks/conflict.ts). */
  conflicts: number;
}

/** `rack-status`: one rack as the board, the holder's socket and the status routes show it. */
export interface RackStatus {
  rack_id: string;
  floor: string;
  status: RackStatusName;
  holder: string | null;
  /** The holder's display name, when known. */
  holder_name: string | null;
  session_id: string | null;
  fencing_token: number | null;
  expires_at: number | null;
  /** The last accepted heartbeat of the live lease, or null. */
  last_heartbeat_at: number | null;
  counts: RackCounts;
  version: number;
  /** Blind counting in force: no member answer about this rack carries an expected quantity (blind.ts). */
  blind: boolean;
  /** When the live lease was granted; its age and the heartbeat's, at the message's serverTime. */
  granted_at: number | null;
  lease_age_ms: number | null;
  heartbeat_age_ms: number | null;
  /** What the live lease counts: a normal audit, or the recount of a reviewed audit's items. */
  mode: 'audit' | 'recount' | null;
  /** The most urgent open review (recount, then needs_review), else the last audit's status. */
  audit_status: AuditStatus | null;
  open_reviews: number;
  /** A recount waiting to be claimed, or being counted. */
  recount: { audit_id: string; items: string[]; assignee: string | null } | null;
}

type RackStatusMessage = { type: 'rack-status' } & RackStatus & { serverTime: number };

/** To the holder only: the lease ended under them (it expired, or an admin force-released it). */
export interface LeaseLostMessage {
  type: 'lease-lost';
  rack_id: string;
  session_id: string;
  fencing_token: number;
  /** 'expired', 'force-released', 'broken' or 'handed-off'. */
  reason: string;
  at: number;
  version: number;
  serverTime: number;
}

/** A conflict on the rack was resolved (by its holder or an admin). */
interface ConflictResolvedMessage {
  type: 'conflict-resolved';
  rack_id: string;
  /** The conflict's id. */
  id: string;
  choice: ConflictChoice;
  item_code: string;
  version: number;
  serverTime: number;
}

/** To the new holder after a supervisor's hand-off: its lease (fetch the scans so far from /rack-sessions/:id/records). */
export interface LeaseGrantedMessage {
  type: 'lease-granted';
  rack_id: string;
  session_id: string;
  fencing_token: number;
  expires_at: number;
  mode: 'audit' | 'recount';
  audit_id: string | null;
  items: string[] | null;
  version: number;
  serverTime: number;
}

/** Every message on the holder's rack socket (GET /api/racks/:rackId/ws). */
export type RackServerMessage =
  | RackStatusMessage
  | LeaseLostMessage
  | LeaseGrantedMessage
  | ConflictResolvedMessage
  | PongMessage
  | ErrorMessage;

/** A rack on the floor board: its status and the warehouse's estimate of its items (null for members on a blind rack). */
export type BoardRack = RackStatus & { item_estimate: number | null };

/** Every message on a floor board socket (GET /api/floors/:floor/ws). */
export type FloorServerMessage =
  | { type: 'floor-state'; floor: string; racks: BoardRack[]; serverTime: number }
  | RackStatusMessage
  | PongMessage
  | ErrorMessage;
