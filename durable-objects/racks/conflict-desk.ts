/**
 * Scan conflicts of a rack: the paged list and the resolution of one, for the live holder or an admin. A resolution
 * writes the chosen values as the item's next version, is journaled with the resolution, and the board and sockets
 * hear the new open count. Once a resolution reached the mirrors, its conflict lives on in Postgres only.
 */
import { type Answer, refuse } from '../../core/errors.ts';
import { CONFLICT_PAGE_MAX } from '../../core/racks/protocol.ts';
import {
  type ConflictChoice,
  type ConflictView,
  conflictView,
  resolveConflict as resolve,
} from '../../core/racks/conflict.ts';
import { liveLease } from '../../core/racks/lease.ts';
import type { RackServerMessage } from '../../core/racks/wire.ts';
import { expectedChanged } from './audit-context.ts';
import { liveContext } from './audit-flow.ts';
import type { ConflictCursor } from './audit-store.ts';
import type { Actor, Member, RackHost } from './host.ts';
import type { RackMirrorPayload } from './mirror.ts';
import { overCaps } from './scan-sync.ts';
import type { RackSessionRecord } from './view.ts';
import { liveSession } from './view.ts';

/**
 * Open conflicts (or every one still stored with `all`: resolved ones go once their resolution is mirrored), oldest
 * first, for the live holder or an admin: at most `limit` after `after` in (detected_at, id) order, and whether
 * more follow.
 */
export async function listConflicts(
  host: RackHost,
  rackId: string,
  actor: Member,
  all: boolean,
  page: { after?: ConflictCursor | null; limit?: number },
): Promise<Answer<{ conflicts: ConflictView[]; more: boolean; expected_changed: boolean }>> {
  if (!(await host.peek(rackId))) return refuse('rack_not_found', 'No such rack');
  await host.settle();
  const denied = mayResolve(host, actor);
  if (denied) return denied;
  const limit = Math.max(1, Math.min(page.limit ?? CONFLICT_PAGE_MAX, CONFLICT_PAGE_MAX));
  const list = host.audit.conflicts({ all, after: page.after ?? null, limit: limit + 1 });
  const shown = list.slice(0, limit);
  const items = host.audit.itemsFor(shown.map((c) => c.itemCode));
  return {
    ok: true,
    value: {
      conflicts: shown.map((c) => conflictView(rackId, c, items)),
      more: list.length > limit,
      expected_changed: expectedChanged(liveContext(host), host.config()?.expected ?? []),
    },
  };
}

/**
 * Resolves one conflict: the chosen values are written as the item's next
 * version, journaled with the resolution, and the board and sockets hear the
 * new open count. The live holder or an admin may; a second resolve is refused.
 */
export async function resolveConflict(
  host: RackHost,
  rackId: string,
  id: string,
  choice: ConflictChoice,
  actor: Member,
): Promise<Answer<ConflictView>> {
  if (!(await host.bind(rackId))) return refuse('rack_not_found', 'No such rack');
  await host.settle();
  const denied = mayResolve(host, actor);
  if (denied) return denied;
  const now = host.now();
  const state = host.lease();
  const l = state ? liveLease(state, now) : null;
  const known = host.audit.conflict(id);
  const ctx = l
    ? { userId: actor.id, sessionId: l.sessionId, fencingToken: l.fencingToken, live: true }
    : { userId: actor.id, sessionId: known?.sessionId ?? '', fencingToken: known?.fencingToken ?? 0, live: false };
  const items = known ? host.audit.itemsFor([known.itemCode]) : {};
  const out = resolve(known ? { [id]: known } : {}, items, id, choice, ctx, now);
  if ('rejected' in out) return refuse(out.rejected, out.message);
  const joins = out.items[out.entry.itemCode] === out.write;
  if (joins && !items[out.entry.itemCode]) {
    const capped = overCaps(host, [out.entry.itemCode], 0);
    if (capped) return capped;
  }
  const who: Actor = { id: actor.id, role: actor.role === 'admin' ? 'admin' : 'user' };
  const floorId = host.floorId();
  await host.commit(() => {
    if (joins) host.audit.putItem(out.write);
    host.audit.putConflict(out.entry);
    const session = l ? liveSession(rackId, floorId, l, now) : (host.audit.session(out.entry.sessionId) ?? null);
    const payload: RackMirrorPayload = {
      rackId,
      floorId,
      version: host.lease()?.version ?? 0,
      at: now,
      actor: who,
      event: 'conflict-resolved',
      session:
        session ??
        placeholderSession(
          rackId,
          floorId,
          out.entry.sessionId,
          out.entry.userId,
          out.entry.fencingToken,
          out.entry.at,
        ),
      records: [out.write],
      conflicts: [],
      resolved: out.entry,
    };
    host.appendOutbox('rack.conflict-resolved', payload, now);
    host.scheduleReport(now);
  });
  host.broadcast({
    type: 'conflict-resolved',
    rack_id: rackId,
    id,
    choice,
    item_code: out.entry.itemCode,
    version: out.write.version,
    serverTime: now,
  } satisfies RackServerMessage);
  await host.announce(now);
  return { ok: true, value: conflictView(rackId, out.entry, joins ? { [out.entry.itemCode]: out.write } : items) };
}

/** The conflict ids whose resolution these mirrored outbox rows carried (pruned from storage). */
export function mirroredResolutions(rows: { kind: string; payload: unknown }[]): string[] {
  return rows
    .filter((r) => r.kind === 'rack.conflict-resolved')
    .map((r) => (r.payload as RackMirrorPayload).resolved?.clientRecordId)
    .filter((id): id is string => typeof id === 'string');
}

/** Admins, or whoever holds the live lease on this rack. */
function mayResolve(host: RackHost, actor: Member): Answer<never> | null {
  if (actor.role === 'admin') return null;
  const state = host.lease();
  const l = state ? liveLease(state, host.now()) : null;
  return l?.holderId === actor.id
    ? null
    : refuse('forbidden', 'Only the rack’s lease holder or an admin may see and resolve its conflicts');
}

/** The session row of a conflict whose session is no longer in the recent list (only its ids are known). */
function placeholderSession(
  rackId: string,
  floor: string,
  sessionId: string,
  userId: string,
  fencingToken: number,
  at: number,
): RackSessionRecord {
  return {
    session_id: sessionId,
    rack_id: rackId,
    floor,
    user_id: userId,
    fencing_token: fencingToken,
    status: 'released',
    started_at: at,
    expires_at: null,
    ended_at: at,
    paused_ms: 0,
    summary: null,
  };
}
