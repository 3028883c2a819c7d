import { describe, expect, it } from 'vitest';
import { adminSession, call, expectError, signup } from '../../support/workers.ts';
import { claim, complete, rackName, scan, slug } from './grade.ts';

const HEADER = 'floor,rack,item_code,description,expected_qty,serials';
const importCsv = (token: string, csv: string, query = 'mode=replace') =>
  call(`/api/warehouse/import?${query}`, { auth: token, raw: csv, headers: { 'Content-Type': 'text/csv' } });
const layoutRack = async (token: string, rackId: string) => {
  const w = (await call('/api/warehouse', { auth: token })).body;
  for (const f of w.floors) for (const r of f.racks) if (r.rack_id === rackId) return { ...r, version: w.version };
  return null;
};

describe('stock import', () => {
  it('preview, apply, and the same file again changes nothing (idempotent); JSON {csv} works too', async () => {
    const admin = await adminSession();
    const floor = slug();
    const rack = rackName();
    const csv = [HEADER, `${floor},${rack},BOLT,Bolts M6,12,S1|S2`, `${floor},${rack},NUT,,30,`].join('\r\n');
    const preview = await importCsv(admin.token, csv, 'mode=merge&dryRun=1');
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({
      dryRun: true,
      applied: false,
      rows: 2,
      errors: [],
      floors_created: [floor],
      racks: [{ rack_id: rack, floor, status: 'new', items: 2, expected_total: 42, deferred: false }],
    });
    expect(await layoutRack(admin.token, rack)).toBeNull();
    const applied = await importCsv(admin.token, csv);
    expect(applied.body).toMatchObject({ applied: true, changed: 1 });
    const stored = await layoutRack(admin.token, rack);
    expect(stored.expected).toEqual([
      { item_code: 'BOLT', expected_qty: 12, description: 'Bolts M6', serials: ['S1', 'S2'] },
      { item_code: 'NUT', expected_qty: 30 },
    ]);
    const again = await call('/api/warehouse/import?mode=replace', { auth: admin.token, json: { csv } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toMatchObject({ applied: false, changed: 0, version: stored.version });
    expect(again.body.racks[0].status).toBe('unchanged');
    expect((await layoutRack(admin.token, rack)).version).toBe(stored.version);
    // merge keeps NUT; replace would drop it.
    const merged = await importCsv(
      admin.token,
      [HEADER, `${floor},${rack},BOLT,Bolts M6,13,`].join('\n'),
      'mode=merge',
    );
    expect(merged.body.racks[0]).toMatchObject({ status: 'changed', items: 2 });
    const replaced = await importCsv(admin.token, [HEADER, `${floor},${rack},BOLT,,13,`].join('\n'));
    expect(replaced.body.racks[0]).toMatchObject({ status: 'changed', items: 1 });
  });

  it('a file with errors applies nothing and lists them per row; members may not import; caps are 4xx', async () => {
    const [admin, member] = await Promise.all([adminSession(), signup()]);
    const floor = slug();
    const good = rackName();
    const before = (await call('/api/warehouse', { auth: admin.token })).body.version;
    const csv = [HEADER, `${floor},${good},A,,1,`, `${floor},bad rack,B,,1,`, `${floor},${good},C,,-4,`].join('\n');
    const refused = await importCsv(admin.token, csv);
    expectError(refused, 422, 'invalid_import');
    expect(refused.body.errors).toEqual([
      { row: 3, column: 'rack', message: expect.any(String) },
      { row: 4, column: 'expected_qty', message: expect.any(String) },
    ]);
    expect(refused.body.applied).toBe(false);
    expect((await call('/api/warehouse', { auth: admin.token })).body.version).toBe(before);
    expect(await layoutRack(admin.token, good)).toBeNull();
    const preview = await importCsv(admin.token, csv, 'dryRun=1');
    expect(preview.status).toBe(200);
    expect(preview.body.errors).toHaveLength(2);
    expectError(await importCsv(member.token, csv), 403, 'forbidden');
    expectError(await importCsv(admin.token, 'rack,item_code\nX,Y\n'), 422, 'invalid_import');
    expectError(await importCsv(admin.token, csv, 'mode=append'), 400, 'validation_failed');
    expectError(
      await call('/api/warehouse/import', { auth: admin.token, raw: csv, headers: { 'Content-Type': 'image/png' } }),
      415,
    );
    expectError(
      await call('/api/warehouse/import', {
        auth: admin.token,
        raw: 'x'.repeat(2 * 1024 * 1024 + 1),
        headers: { 'Content-Type': 'text/csv' },
      }),
      413,
      'payload_too_large',
    );
    const tooMany = [HEADER, ...Array.from({ length: 501 }, (_, i) => `${floor},${good},I${i},,1,`)].join('\n');
    expectError(await importCsv(admin.token, tooMany), 422, 'invalid_import');
  });

  it('a held rack takes new expected items at its next claim; the review says expected changed', async () => {
    const [admin, w] = await Promise.all([adminSession(), signup()]);
    const floor = slug();
    const rack = rackName();
    await importCsv(admin.token, [HEADER, `${floor},${rack},A,,5,`].join('\n'));
    await call(`/api/warehouse/floors/${floor}/review`, { auth: admin.token, method: 'PUT', json: { qty: 0 } });
    const lease = await claim(w, rack, floor);
    const during = await importCsv(admin.token, [HEADER, `${floor},${rack},A,,9,`].join('\n'));
    expect(during.body.racks[0]).toMatchObject({ status: 'changed', deferred: true });
    expect((await call(`/api/racks/${rack}/conflicts`, { auth: w.token })).body.expected_changed).toBe(true);
    await scan(w, lease, { A: 5 });
    // Counted against the expectation the audit started with: 5 of 5, nothing flagged.
    const done = await complete(w, lease);
    expect(done.body).toMatchObject({ audit_status: 'posted', expected_total: 5, flagged: [] });
    const all = await call(`/api/reviews?floor=${floor}&status=all`, { auth: admin.token });
    expect(all.body.reviews[0]).toMatchObject({ expected_changed: true });
    // The next claim counts against the new one.
    const next = await claim(w, rack, floor);
    await scan(w, next, { A: 5 });
    expect((await complete(w, next)).body).toMatchObject({ audit_status: 'needs_review', expected_total: 9 });

    // The export has both audits, one row per item.
    const csv = await call(
      `/api/warehouse/export.csv?floor=${floor}&from=${new Date(Date.now() - 3_600_000).toISOString()}`,
      {
        auth: admin.token,
      },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('Content-Type')).toContain('text/csv');
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe(
      'audit_id,rack,floor,item_code,description,expected_qty,counted_qty,damage_qty,variance,recount_qty,decision,final_qty,reason,status,counter,completed_at,posted_at',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',5,5,0,0,');
    expect(lines[2]).toContain(',9,5,0,-4,');
    expectError(
      await call('/api/warehouse/export.csv?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', { auth: admin.token }),
      400,
    );
    expectError(
      await call('/api/warehouse/export.csv?from=1700000000', { auth: admin.token }),
      400,
      'validation_failed',
    );
  });

  it('throughput: 10,000 expected items (20 racks × 500) imported; median of 3 applies is printed', async () => {
    const admin = await adminSession();
    const floor = slug();
    const racks = Array.from({ length: 20 }, () => rackName());
    const file = (qty: number) =>
      [
        HEADER,
        ...racks.flatMap((r) =>
          Array.from({ length: 500 }, (_, i) => `${floor},${r},SKU-${i},Item ${i},${qty + (i % 7)},`),
        ),
      ].join('\n');
    const times: number[] = [];
    for (const qty of [1, 2, 3]) {
      const t0 = performance.now();
      const a = await importCsv(admin.token, file(qty));
      times.push(performance.now() - t0);
      expect(a.status, JSON.stringify(a.body).slice(0, 300)).toBe(200);
      expect(a.body).toMatchObject({ applied: true, rows: 10_000, changed: 20 });
    }
    const t0 = performance.now();
    const dry = await importCsv(admin.token, file(3), 'dryRun=1');
    const dryMs = performance.now() - t0;
    expect(dry.body.racks.every((r: { status: string }) => r.status === 'unchanged')).toBe(true);
    const median = [...times].sort((a, b) => a - b)[1] as number;
    console.log(
      `import throughput: 10000 items, median apply ${median.toFixed(0)} ms (${Math.round(10_000 / (median / 1000))} items/s), runs ${times.map((t) => t.toFixed(0)).join('/')} ms; dry run of the same file ${dryMs.toFixed(0)} ms`,
    );
    const sample = await layoutRack(admin.token, racks[0] as string);
    expect(sample.expected).toHaveLength(500);
  }, 120_000);
});
