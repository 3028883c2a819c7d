/**
 * Rundown import and export over HTTP (issue 12): dry runs, replace and append as one command, idempotency,
 * refusals that change nothing (row errors, size, viewers, the timer cap, CSRF), the CSV export and its round trip.
 */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { RUNDOWN_COLUMNS, parseRundownCsv } from '../../../core/rooms/rundown-csv.ts';
import { T0, roomWith, run } from '../../../core/rooms/fixtures.ts';
import { MAX_TIMERS } from '../../../core/rooms/transition.ts';
import { roomMirrorPayload } from '../../../durable-objects/rooms/mirror.ts';
import {
  BASE,
  type RoomHandle,
  call,
  createRoom,
  createTimer,
  durableView,
  expectError,
  signup,
  snapshot,
  unique,
} from '../../support/workers.ts';

const HEADER = RUNDOWN_COLUMNS.join(',');
const CSV = [
  HEADER,
  '"Welcome",5:00,countdown,manual,2026-03-14T09:00:00Z,1:00,0:15,"Lights down, music off"',
  '"Keynote",45m,countdown,linked,,5m,1m,"Speaker: Dana"',
  '"Q&A",0:15:00,countup,manual,,,,',
].join('\r\n');

function importCsv(
  room: RoomHandle,
  csv: string,
  query = 'mode=replace',
  opts: { auth?: string | null; headers?: Record<string, string>; type?: string } = {},
) {
  return call(`/api/rooms/${room.id}/rundown/import?${query}`, {
    method: 'POST',
    raw: csv,
    ...(opts.auth === null ? {} : { auth: opts.auth ?? room.owner.token }),
    headers: { 'Content-Type': opts.type ?? 'text/csv', ...opts.headers },
  });
}

const labels = async (room: RoomHandle) => (await snapshot(room)).timers.map((t: { label: string }) => t.label);

describe('rundown import', () => {
  it('a dry run previews rows and errors and changes nothing', async () => {
    const room = await createRoom(await signup());
    await createTimer(room, { label: 'Existing' });
    const before = await durableView(room);
    const ok = await importCsv(room, CSV, 'mode=replace&dryRun=1');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ applied: false, dryRun: true, errors: [] });
    expect(ok.body.rows.map((r: { row: number }) => r.row)).toEqual([2, 3, 4]);
    expect(ok.body.timers.map((t: { label: string }) => t.label)).toEqual(['Welcome', 'Keynote', 'Q&A']);
    const bad = await importCsv(room, `${CSV}\r\n"Broken",soon,,,,,,`, 'dryRun=1');
    expect(bad.status).toBe(200);
    expect(bad.body.errors).toEqual([{ row: 5, message: expect.stringMatching(/^duration: soon/) }]);
    expect(await durableView(room)).toEqual(before);
  });

  it('replace and append apply as one command each', async () => {
    const room = await createRoom(await signup());
    await createTimer(room, { label: 'Old' });
    const v0 = (await snapshot(room)).version;
    const replaced = await importCsv(room, CSV, 'mode=replace');
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body).toMatchObject({ applied: true, mode: 'replace', errors: [], version: v0 + 1 });
    const s = await snapshot(room);
    expect(s.timers.map((t: { label: string }) => t.label)).toEqual(['Welcome', 'Keynote', 'Q&A']);
    expect(s.room.activeTimerId).toBe(s.timers[0].id);
    expect(s.timers[0]).toMatchObject({
      durationMs: 300_000,
      plannedStart: Date.UTC(2026, 2, 14, 9),
      warnMs: 60_000,
      dangerMs: 15_000,
      notes: 'Lights down, music off',
    });
    // Append, as JSON {csv}, with a controller link instead of the owner's account.
    const appended = await call(`/api/rooms/${room.id}/rundown/import?mode=append&token=${room.links.controller}`, {
      json: { csv: `${HEADER}\n"Encore",2:00,,,,,,` },
    });
    expect(appended.status, JSON.stringify(appended.body)).toBe(200);
    expect(appended.body.version).toBe(v0 + 2);
    expect(await labels(room)).toEqual(['Welcome', 'Keynote', 'Q&A', 'Encore']);
  });

  it('an Idempotency-Key applies once and answers the same; another body under it is 422', async () => {
    const room = await createRoom(await signup());
    const key = unique('import');
    const first = await importCsv(room, CSV, 'mode=append', { headers: { 'Idempotency-Key': key } });
    const second = await importCsv(room, CSV, 'mode=append', { headers: { 'Idempotency-Key': key } });
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await labels(room)).toEqual(['Welcome', 'Keynote', 'Q&A']);
    const other = await importCsv(room, `${HEADER}\n"Other",1:00,,,,,,`, 'mode=append', {
      headers: { 'Idempotency-Key': key },
    });
    expectError(other, 422, 'idempotency_key_reused');
    expect(await labels(room)).toEqual(['Welcome', 'Keynote', 'Q&A']);
  });

  it('a file with errors is 422 invalid_rundown with every row error, and nothing is applied', async () => {
    const room = await createRoom(await signup());
    await createTimer(room, { label: 'Keep me' });
    const before = await durableView(room);
    const bad = [CSV, '"Broken",1,5,,,,,', '"Sched",1:00,,scheduled,,,,'].join('\n');
    const a = await importCsv(room, bad, 'mode=replace');
    expectError(a, 422, 'invalid_rundown');
    expect(a.body).toMatchObject({ applied: false });
    expect(a.body.errors).toEqual([
      { row: 5, message: expect.stringMatching(/^mode: “5” is not one of/) },
      { row: 6, message: expect.stringMatching(/scheduled timer needs a planned start/) },
    ]);
    expect(a.body.error.details.errors).toEqual(a.body.errors);
    expect(await durableView(room)).toEqual(before);
    // No header columns, an empty body, a bad query, an unknown type: clear 4xx, nothing applied.
    expectError(await importCsv(room, 'title,notes\nA,b'), 422, 'invalid_rundown');
    expectError(await importCsv(room, ''), 400, 'validation_failed');
    expectError(await importCsv(room, CSV, 'mode=merge'), 400, 'validation_failed');
    expectError(await importCsv(room, CSV, 'mode=replace', { type: 'application/xml' }), 415);
    expectError(await importCsv(room, '\xff\xfe', 'mode=replace', { type: 'application/json' }), 400);
    expect(await durableView(room)).toEqual(before);
  });

  it('bodies past 256 KB are 413 payload_too_large; one past the 64 KB JSON limit is accepted', async () => {
    const room = await createRoom(await signup());
    const notes = 'n'.repeat(1_500);
    const row = (i: number) => `"Cue ${i}",1:00,,,,,,"${notes}"`;
    const big = [HEADER, ...Array.from({ length: 60 }, (_, i) => row(i))].join('\n');
    expect(big.length).toBeGreaterThan(64 * 1024);
    const ok = await importCsv(room, big, 'mode=replace');
    expect(ok.status, JSON.stringify(ok.body).slice(0, 300)).toBe(200);
    const huge = [HEADER, ...Array.from({ length: 180 }, (_, i) => row(i))].join('\n');
    expect(huge.length).toBeGreaterThan(256 * 1024);
    const before = await durableView(room);
    expectError(await importCsv(room, huge, 'mode=replace'), 413, 'payload_too_large');
    // Sent without a Content-Length (a stream), the limit holds too.
    const chunked = await exports.default.fetch(
      new Request(`${BASE}/api/rooms/${room.id}/rundown/import?mode=replace`, {
        method: 'POST',
        body: new Blob([huge]).stream(),
        headers: { Authorization: `Bearer ${room.owner.token}`, 'Content-Type': 'text/csv' },
      }),
    );
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await durableView(room)).toEqual(before);
  });

  it('viewers get 403 on import and export; controllers may use both (?token= or X-Room-Token)', async () => {
    const room = await createRoom(await signup());
    const before = await durableView(room);
    for (const query of [`mode=replace&token=${room.links.viewer}`, `dryRun=1&token=${room.links.viewer}`])
      expectError(await importCsv(room, CSV, query, { auth: null }), 403, 'forbidden');
    expectError(
      await call(`/api/rooms/${room.id}/rundown.csv`, { headers: { 'X-Room-Token': room.links.viewer } }),
      403,
      'forbidden',
    );
    expectError(await call(`/api/rooms/${room.id}/rundown.csv`), 401);
    expect(await durableView(room)).toEqual(before);
    const byHeader = await importCsv(room, CSV, 'mode=replace', {
      auth: null,
      headers: { 'X-Room-Token': room.links.controller },
    });
    expect(byHeader.status).toBe(200);
    const exported = await call(`/api/rooms/${room.id}/rundown.csv?token=${room.links.controller}`);
    expect(exported.status).toBe(200);
  });

  it('a room over the timer cap is refused clearly and keeps its rundown', async () => {
    const room = await createRoom(await signup());
    const rows = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `"${prefix}${i}",1:00,,,,,,`);
    const full = await importCsv(room, [HEADER, ...rows(MAX_TIMERS - 1, 'a')].join('\n'), 'mode=replace');
    expect(full.status).toBe(200);
    const before = await durableView(room);
    const more = [HEADER, ...rows(3, 'b')].join('\n');
    const preview = await importCsv(room, more, 'mode=append&dryRun=1');
    expect(preview.body.errors).toEqual([{ row: 3, message: expect.stringMatching(/at most 500 timers/) }]);
    const refused = await importCsv(room, more, 'mode=append');
    expectError(refused, 409, 'too_many_timers');
    expect(refused.body.error.message).toMatch(/at most 500 timers; this import would make 502/);
    expect(await durableView(room)).toEqual(before);
    // A file with more rows than a room holds is refused at the first row past it.
    const tooMany = await importCsv(room, [HEADER, ...rows(MAX_TIMERS + 1, 'c')].join('\n'), 'mode=replace');
    expectError(tooMany, 422, 'invalid_rundown');
    expect(tooMany.body.errors).toEqual([{ row: MAX_TIMERS + 2, message: expect.stringMatching(/Too many rows/) }]);
  });

  it('CSRF: text/csv needs no header from a Bearer caller; a cookie caller must come from this site', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const before = await durableView(room);
    const cookie = { Cookie: `kt_session=${owner.token}` };
    const cross = await importCsv(room, CSV, 'mode=replace', {
      auth: null,
      headers: { ...cookie, Origin: 'https://evil.example' },
    });
    expectError(cross, 403, 'forbidden_origin');
    // What a form can send (text/plain) is refused without the API header.
    const form = await call(`/api/rooms/${room.id}/rundown/import?mode=replace`, {
      method: 'POST',
      raw: CSV,
      bare: true,
      headers: { ...cookie, 'Content-Type': 'text/plain' },
    });
    expectError(form, 415, 'unsupported_media_type');
    expect(await durableView(room)).toEqual(before);
    const same = await importCsv(room, CSV, 'mode=replace', {
      auth: null,
      headers: { ...cookie, Origin: 'http://kt.test' },
    });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    // A paste sent as text/plain with X-Keeptime: 1 goes through too.
    const pasted = await importCsv(room, CSV.replace(/,/g, '\t'), 'mode=append', {
      type: 'text/plain',
      headers: { 'X-Keeptime': '1' },
    });
    expect(pasted.status, JSON.stringify(pasted.body)).toBe(200);
    expect(await labels(room)).toHaveLength(6);
  });
});

describe('rundown import mirror', () => {
  it('the outbox payload of a replace deletes the replaced timers and upserts the imported ones', () => {
    const room = roomWith([{ id: 'old1' }, { id: 'old2' }]);
    const timers = ['new1', 'new2'].map((id) => ({
      id,
      label: id,
      durationMs: 60_000,
      mode: 'countdown' as const,
      targetTime: null,
      trigger: 'manual' as const,
      startAt: null,
      warnMs: null,
      dangerMs: null,
      plannedStart: null,
      notes: '',
      buffer: null,
      chimes: null,
    }));
    const next = run(room, { type: 'import-rundown', mode: 'replace', timers }, T0);
    const { payload } = roomMirrorPayload({
      prev: room,
      next: next.state,
      events: next.events,
      actor: { id: 'owner', role: 'owner' },
      command: { type: 'import-rundown', mode: 'replace' },
      openRuns: {},
      now: T0,
    });
    expect(payload.deletedTimerIds.sort()).toEqual(['old1', 'old2']);
    expect(payload.timers.map((t) => t.id)).toEqual(['new1', 'new2']);
  });
});

describe('rundown import encodings', () => {
  it('reads Excel’s “Unicode text” (UTF-16 with a BOM, tab-separated); refuses bytes that are not UTF-8', async () => {
    const room = await createRoom(await signup());
    const tsv = 'label\tduration\tnotes\r\nCafé\t2:00\tnaïve\r\n';
    const utf16 = new Uint8Array(2 + tsv.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < tsv.length; i++) {
      utf16[2 + i * 2] = tsv.charCodeAt(i) & 0xff;
      utf16[3 + i * 2] = tsv.charCodeAt(i) >> 8;
    }
    const a = await call(`/api/rooms/${room.id}/rundown/import?mode=replace`, {
      raw: utf16,
      auth: room.owner.token,
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect((await snapshot(room)).timers).toMatchObject([{ label: 'Café', durationMs: 120_000, notes: 'naïve' }]);
    const before = await durableView(room);
    const latin1 = await call(`/api/rooms/${room.id}/rundown/import?mode=replace`, {
      raw: new Uint8Array([...new TextEncoder().encode('label,duration\r\nCaf'), 0xe9, 0x2c, 0x31]),
      auth: room.owner.token,
      headers: { 'Content-Type': 'text/csv' },
    });
    expectError(latin1, 400, 'bad_request');
    expect(latin1.body.error.message).toMatch(/CSV UTF-8/);
    expect(await durableView(room)).toEqual(before);
  });
});

describe('rundown export', () => {
  it('writes the documented CSV, and re-importing it gives the same definitions', async () => {
    const room = await createRoom(await signup());
    await importCsv(room, CSV, 'mode=replace');
    await createTimer(room, { label: '=cmd|calc', durationMs: 1_234, notes: '@SUM(1)\n-2' });
    const a = await call(`/api/rooms/${room.id}/rundown.csv`, { auth: room.owner.token });
    expect(a.status).toBe(200);
    expect(a.headers.get('Content-Type')).toMatch(/^text\/csv/);
    expect(a.headers.get('Content-Disposition')).toMatch(/attachment; filename=".*-rundown\.csv"/);
    const text = a.body as string;
    expect(text.split('\r\n').slice(0, 3)).toEqual([
      HEADER,
      '"Welcome",0:05:00,countdown,manual,2026-03-14T09:00:00.000Z,0:01:00,0:00:15,"Lights down, music off"',
      '"Keynote",0:45:00,countdown,linked,,0:05:00,0:01:00,"Speaker: Dana"',
    ]);
    expect(text).toContain(`"'=cmd|calc",0:00:01.234,countdown,manual,,,,"'@SUM(1)\n'-2"`);
    const defsOf = (timers: Array<Record<string, unknown>>) =>
      timers.map(({ label, durationMs, mode, trigger, plannedStart, warnMs, dangerMs, notes }) => ({
        label,
        durationMs,
        mode,
        trigger,
        plannedStart,
        warnMs,
        dangerMs,
        notes,
      }));
    const original = defsOf((await snapshot(room)).timers);
    const again = await importCsv(room, text, 'mode=replace');
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(defsOf((await snapshot(room)).timers)).toEqual(original);
  });

  it('throughput: 500 rows parsed and validated, and applied over HTTP', async () => {
    const room = await createRoom(await signup());
    const rows = Array.from(
      { length: MAX_TIMERS },
      (_, i) =>
        `"Cue ${i}, part ${i % 7}",${1 + (i % 9)}:30,countdown,${i % 3 ? 'linked' : 'manual'},,1:00,0:15,"Note ${i}"`,
    );
    const csv = [HEADER, ...rows].join('\r\n');
    const runs = 5;
    const parseStart = performance.now();
    for (let i = 0; i < runs; i++)
      expect(parseRundownCsv(csv, { timeZone: 'Europe/Paris', day: Date.now() }).errors).toEqual([]);
    const parseMs = (performance.now() - parseStart) / runs;
    const applyStart = Date.now();
    const a = await importCsv(room, csv, 'mode=replace');
    const applyMs = Date.now() - applyStart;
    expect(a.status).toBe(200);
    const timers: Array<{ id: string }> = (await snapshot(room)).timers;
    expect(timers).toHaveLength(MAX_TIMERS);
    // A rundown this long reorders over HTTP (its ids pass one socket frame): every id, reversed.
    const reversed = timers.map((t) => t.id).reverse();
    const reorder = await call(`/api/rooms/${room.id}/reorder`, {
      json: { timerIds: reversed },
      auth: room.owner.token,
    });
    expect(reorder.status, JSON.stringify(reorder.body).slice(0, 200)).toBe(200);
    expect((await snapshot(room)).timers.map((t: { id: string }) => t.id)).toEqual(reversed);
    console.log(
      `[bench] rundown import, ${MAX_TIMERS} rows (${(csv.length / 1024).toFixed(0)} KB): parse+validate ${parseMs.toFixed(1)} ms; full apply over HTTP in workerd ${applyMs} ms`,
    );
  });
});
