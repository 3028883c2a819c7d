/**
 * A holder's batch of scan records: merged against the items and record ids it touches, journaled in slices and
 * announced. A recount lease counts only the items sent back for recount; the storage caps answer 409.
 */
import { type Answer, refuse } from '../../core/errors.ts';
import { type BatchResult, type ScanRecordInput, mergeBatch } from '../../core/racks/batch.ts';
import { type Lease, liveLease } from '../../core/racks/lease.ts';
import type { RackHost } from './host.ts';
import { sliceBatch } from './mirror.ts';

export async function sync(
  host: RackHost,
  rackId: string,
  userId: string,
  sessionId: string,
  fencingToken: number,
  sent: ScanRecordInput[],
): Promise<Answer<BatchResult>> {
  if (!(await host.bind(rackId))) return refuse('rack_not_found', 'No such rack');
  await host.settle();
  const now = host.now();
  const state = host.lease();
  const l = state ? liveLease(state, now) : null;
  // A recount lease counts only the items sent back for recount; any other record is refused one by one.
  const auditCtx = host.auditCtx();
  const ctx = l && auditCtx?.sessionId === l.sessionId ? auditCtx : null;
  const wanted = ctx?.mode === 'recount' ? new Set(ctx.items ?? []) : null;
  const outside = wanted ? sent.filter((r) => !wanted.has(r.item_code)) : [];
  const records = wanted ? sent.filter((r) => wanted.has(r.item_code)) : sent;
  // The merge sees only the rows this batch touches: its items and its record ids.
  const known = {
    items: host.audit.itemsFor(records.map((r) => r.item_code)),
    seen: host.audit.answered(records.map((r) => r.client_record_id)),
  };
  const out = mergeBatch(
    known,
    { sessionId, userId, fencingToken, records },
    l ? { sessionId: l.sessionId, holderId: l.holderId, fencingToken: l.fencingToken } : null,
    now,
  );
  if ('rejected' in out) return refuse(out.rejected, out.message);
  for (const r of outside) out.result.rejected.push({ client_record_id: r.client_record_id, code: 'not_in_recount' });
  const capped = overCaps(
    host,
    out.writes.filter((w) => !known.items[w.itemCode]).map((w) => w.itemCode),
    out.conflicts.length,
  );
  if (capped) return capped;
  if (out.writes.length > 0 || out.conflicts.length > 0) {
    await host.commit(() => {
      const auditNo = host.auditNo();
      for (const w of out.writes) host.audit.putItem(w);
      for (const c of out.conflicts) host.audit.putConflict({ ...c, resolution: null });
      for (const id of out.result.accepted) host.audit.answer(id, 'accepted', auditNo);
      for (const c of out.result.conflicts) host.audit.answer(c.client_record_id, 'conflict', auditNo);
      // One outbox row per slice of the batch, so no journaled value grows past the slice budget.
      for (const part of sliceBatch(out.writes, out.conflicts)) {
        const payload = host.payload(
          'batch',
          l as Lease,
          { id: userId, role: 'user' },
          now,
          host.lease()?.version ?? 0,
          part,
        );
        host.appendOutbox('rack.batch', payload, now);
      }
      host.scheduleReport(now);
    });
    await host.announce(now);
  }
  return { ok: true, value: out.result };
}

/** A 409 when adding `newCodes` to the audit or `newConflicts` open conflicts would pass a cap; null within them. */
export function overCaps(host: RackHost, newCodes: string[], newConflicts: number): Answer<never> | null {
  const caps = host.caps();
  const adding = new Set(newCodes).size;
  if (adding > 0 && host.audit.itemCount() + adding > caps.items)
    return refuse(
      'too_many_items',
      `An audit holds at most ${caps.items} distinct items: complete it before scanning more`,
      { limit: caps.items },
    );
  if (newConflicts > 0 && host.audit.openCount() + newConflicts > caps.openConflicts)
    return refuse(
      'too_many_conflicts',
      `A rack holds at most ${caps.openConflicts} open conflicts: resolve some before syncing more`,
      { limit: caps.openConflicts },
    );
  return null;
}
