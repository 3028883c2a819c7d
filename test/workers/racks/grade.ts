/** Shared by the warehouse-grade rack tests (issue 15): a fresh floor of racks from a stock import, and lease helpers. */
import { expect } from 'vitest';
import { type Session, call, unique } from '../../support/workers.ts';
import { record } from '../../support/racks.ts';

export const slug = () =>
  unique('fl')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40);

export const rackName = (p = 'R') =>
  `${p}${unique('')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 20)}`;

/** A new floor whose racks hold `items` (code → expected qty), imported as CSV; returns the floor and rack ids. */
export async function stockedFloor(
  admin: Session,
  racks: number,
  items: Record<string, number>,
): Promise<{ floor: string; racks: string[] }> {
  const floor = slug();
  const ids = Array.from({ length: racks }, () => rackName());
  const lines = ids.flatMap((r) =>
    Object.entries(items).map(([code, qty]) => `${floor},${r},${code},Item ${code},${qty},`),
  );
  const csv = ['floor,rack,item_code,description,expected_qty,serials', ...lines].join('\n');
  const a = await call('/api/warehouse/import?mode=replace', {
    auth: admin.token,
    raw: csv,
    headers: { 'Content-Type': 'text/csv' },
  });
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return { floor, racks: ids };
}

export interface Held {
  session_id: string;
  fencing_token: number;
  mode: 'audit' | 'recount';
  audit_id: string | null;
  items: string[] | null;
}

export async function claim(who: Session, rackId: string, floor: string): Promise<Held> {
  const a = await call(`/api/racks/${rackId}/claim`, { auth: who.token, json: { floor } });
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return a.body;
}

/** Syncs one record per (code, qty) under the lease; returns the answer. */
export async function scan(who: Session, lease: Held, counts: Record<string, number>) {
  return call('/api/sync/batch', {
    auth: who.token,
    json: {
      session_id: lease.session_id,
      fencing_token: lease.fencing_token,
      records: Object.entries(counts).map(([item_code, verified_qty]) => record({ item_code, verified_qty })),
    },
  });
}

export async function complete(who: Session, lease: Held, declared?: number) {
  return call(`/api/rack-sessions/${lease.session_id}/complete`, {
    auth: who.token,
    json: { fencing_token: lease.fencing_token, ...(declared !== undefined ? { declared_records: declared } : {}) },
  });
}
