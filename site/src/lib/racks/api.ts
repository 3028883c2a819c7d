/** The Racks API (floors, racks, leases, rack sessions, batch sync) with guards for every answer. */
import { anyBody } from '../net/api.ts';
import { apiClient, call } from '../net/client.ts';
import type { RackCounts as WireCounts, RackStatus as WireStatus } from '../../../../core/racks/wire.ts';
import { type Loose, arrayOf, isNum, isNumOrNull, isRec, isStr, isStrOrNull } from '../net/guards.ts';

export interface Floor {
  id: string;
  name: string;
  rack_count: number;
}
export interface AvailableRack {
  rack_id: string;
  floor: string;
  /** Null on a blind rack: the counter never learns what is expected. */
  item_estimate: number | null;
  status?: string;
}
export interface Claim {
  rack_id: string;
  session_id: string;
  floor: string;
  fencing_token: number;
  expires_at: number;
  /** A recount lease counts only `items` of the reviewed audit `audit_id`. */
  mode?: 'audit' | 'recount';
  audit_id?: string | null;
  items?: string[] | null;
}
/** Counts as the site accepts them (`conflicts` is absent from older servers). */
export type RackCounts = Loose<WireCounts, 'conflicts'>;
/** `rack-status` (core/racks/wire.ts), as the board and `/racks/user/active` accept it from any server version. */
export type RackStatus = Loose<
  Omit<WireStatus, 'counts'> & { counts: RackCounts },
  | 'holder_name'
  | 'last_heartbeat_at'
  | 'blind'
  | 'granted_at'
  | 'lease_age_ms'
  | 'heartbeat_age_ms'
  | 'mode'
  | 'audit_status'
  | 'open_reviews'
  | 'recount'
>;
interface SyncAnswer {
  accepted: string[];
  duplicates: string[];
  conflicts: { client_record_id: string }[];
  rejected: { client_record_id: string; code: string }[];
}

const isFloor = (v: unknown): v is Floor => isRec(v) && isStr(v.id) && isStr(v.name) && isNum(v.rack_count);
const isAvailable = (v: unknown): v is AvailableRack =>
  isRec(v) && isStr(v.rack_id) && isStr(v.floor) && isNumOrNull(v.item_estimate ?? null);
const isClaim = (v: unknown): v is Claim =>
  isRec(v) &&
  isStr(v.rack_id) &&
  isStr(v.session_id) &&
  isStr(v.floor) &&
  isNum(v.fencing_token) &&
  isNum(v.expires_at) &&
  (v.items === undefined || v.items === null || arrayOf(isStr)(v.items));
const isCounts = (v: unknown): v is RackCounts =>
  isRec(v) &&
  isNum(v.total) &&
  isNum(v.verified) &&
  isNum(v.damage) &&
  isNum(v.pending) &&
  isNumOrNull(v.conflicts ?? null);
export const isRackStatus = (v: unknown): v is RackStatus =>
  isRec(v) &&
  isStr(v.rack_id) &&
  isStr(v.floor) &&
  (v.status === 'available' || v.status === 'claimed' || v.status === 'paused') &&
  isStrOrNull(v.holder) &&
  isStrOrNull(v.holder_name ?? null) &&
  isStrOrNull(v.session_id) &&
  isNumOrNull(v.fencing_token) &&
  isNumOrNull(v.expires_at) &&
  isNumOrNull(v.last_heartbeat_at ?? null) &&
  isNumOrNull(v.lease_age_ms ?? null) &&
  isNumOrNull(v.heartbeat_age_ms ?? null) &&
  isStrOrNull(v.audit_status ?? null) &&
  isCounts(v.counts) &&
  isNum(v.version);
const isIdList = arrayOf(isStr);
const isIdRow = (v: unknown): v is { client_record_id: string; code: string } => isRec(v) && isStr(v.client_record_id);
const isSync = (v: unknown): v is SyncAnswer =>
  isRec(v) &&
  isIdList(v.accepted) &&
  isIdList(v.duplicates) &&
  arrayOf(isIdRow)(v.conflicts) &&
  arrayOf(isIdRow)(v.rejected);
const isHeartbeat = (v: unknown): v is { expires_at: number | null } => isRec(v) && isNumOrNull(v.expires_at ?? null);
const isLeaseAnswer = (v: unknown): v is { status: RackStatus['status']; expires_at: number | null } =>
  isRec(v) && isStr(v.status) && isNumOrNull(v.expires_at ?? null);

const racks = apiClient('racks');
const enc = encodeURIComponent;

export const listFloors = () =>
  call(
    racks.racks.floors,
    '$get',
    undefined,
    (v): v is { floors: Floor[] } => isRec(v) && arrayOf(isFloor)(v.floors),
  ).then((a) => a.floors);
export const listAvailable = (floor: string) =>
  call(
    racks.racks.available,
    '$get',
    { query: { floor } },
    (v): v is { racks: AvailableRack[] } => isRec(v) && arrayOf(isAvailable)(v.racks),
  ).then((a) => a.racks);
export const claimRack = (rackId: string, floor: string) =>
  call(racks.racks[':rackId'].claim, '$post', { param: { rackId: enc(rackId) } }, isClaim, { body: { floor } });
export const myActiveRacks = () =>
  call(
    racks.racks.user.active,
    '$get',
    undefined,
    (v): v is { racks: RackStatus[]; serverTime: number } =>
      isRec(v) && arrayOf(isRackStatus)(v.racks) && isNum(v.serverTime),
  );
export const leaseCommand = (
  type: 'pause' | 'resume' | 'release',
  c: Pick<Claim, 'rack_id' | 'session_id' | 'fencing_token'>,
) =>
  call(racks.racks[':rackId'][type], '$post', { param: { rackId: enc(c.rack_id) } }, isLeaseAnswer, {
    body: { session_id: c.session_id, fencing_token: c.fencing_token },
  });
export const heartbeat = (c: Pick<Claim, 'session_id' | 'fencing_token'>) =>
  call(racks['rack-sessions'][':id'].heartbeat, '$post', { param: { id: enc(c.session_id) } }, isHeartbeat, {
    body: { fencing_token: c.fencing_token },
  });
/** Completes a session, declaring how many scans this device made in it (the server refuses when it holds fewer). */
export const completeSession = (c: Pick<Claim, 'session_id' | 'fencing_token'>, declaredRecords: number) =>
  call(
    racks['rack-sessions'][':id'].complete,
    '$post',
    { param: { id: enc(c.session_id) } },
    (v): v is Record<string, unknown> => isRec(v),
    { body: { fencing_token: c.fencing_token, declared_records: declaredRecords } },
  );
export const syncBatch = (body: { session_id: string; fencing_token: number; records: unknown[] }) =>
  call(racks.sync.batch, '$post', undefined, isSync, { body });
export { anyBody };
