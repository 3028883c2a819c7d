/**
 * Rundown import and export as CSV (issue 12). The import is one room command (all or nothing, idempotent with
 * Idempotency-Key); parsing is core/rooms/rundown-csv.ts. The owner or a controller link may use both; viewers get 403.
 */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import {
  RUNDOWN_CSV_MAX_BYTES,
  capacityErrors,
  exportRundownCsv,
  parseRundownCsv,
} from '../../core/rooms/rundown-csv.ts';
import type { AppEnv } from '../app-types.ts';
import { unwrap } from '../lib/answer.ts';
import { csvResponse } from '../lib/csv.ts';
import { ApiError, errorBody } from '../lib/errors.ts';
import { check, readQuery } from '../middleware/validate.ts';
import { idempotencyKey, roomTarget } from './rooms.ts';

const TOO_LARGE = `A rundown file is limited to ${RUNDOWN_CSV_MAX_BYTES / 1024} KB`;
const TEXT_TYPES = /^(text\/(csv|plain|tab-separated-values))\b/i;
const JSON_TYPE = /^application\/(.+\+)?json\b/i;

const importQuery = z.strictObject({
  mode: z.enum(['replace', 'append']).optional(),
  dryRun: z.enum(['1', '0', 'true', 'false']).optional(),
});
const jsonBody = z.strictObject({ csv: z.string() });

/** Decodes the body's bytes: UTF-8 (a BOM is fine), or UTF-16 with its BOM (Excel's "Unicode text"). */
function decode(bytes: Uint8Array): string {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      return new TextDecoder('utf-16le', { fatal: true, ignoreBOM: false }).decode(bytes);
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
      return new TextDecoder('utf-16be', { fatal: true, ignoreBOM: false }).decode(bytes);
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ApiError('bad_request', 'The file is not UTF-8 text: save it as “CSV UTF-8” and try again');
  }
}

/** The CSV text of the request: a text/csv (or text/plain, TSV) body, or JSON `{csv}`. */
async function readRundownBody(c: Context<AppEnv>): Promise<string> {
  if (Number(c.req.header('Content-Length') ?? '0') > RUNDOWN_CSV_MAX_BYTES)
    throw new ApiError('payload_too_large', TOO_LARGE);
  const type = c.req.header('Content-Type') ?? '';
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > RUNDOWN_CSV_MAX_BYTES) throw new ApiError('payload_too_large', TOO_LARGE);
  if (bytes.byteLength === 0) throw new ApiError('validation_failed', 'The body is empty: send the CSV');
  if (TEXT_TYPES.test(type)) return decode(bytes);
  if (!JSON_TYPE.test(type))
    throw new ApiError('unsupported_media_type', 'Send the file as text/csv, or JSON {"csv": "..."}');
  let json: unknown;
  try {
    json = JSON.parse(decode(bytes));
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError('invalid_json', 'The body is not valid JSON');
  }
  return check(jsonBody, json).csv;
}

/** The room as the caller may control it (viewers are refused), for the parse context and the cap. */
async function controlledRoom(c: Context<AppEnv>) {
  const target = roomTarget(c, c.req.param('id') as string);
  const snap = unwrap(await target.stub.snapshot(target.access));
  if (snap.role === 'viewer') throw new ApiError('forbidden', 'Viewer links cannot read or change the rundown');
  return { ...target, snap };
}

export const rundownRoutes = new Hono<AppEnv>()
  .post(
    '/rooms/:id/rundown/import',
    bodyLimit({
      maxSize: RUNDOWN_CSV_MAX_BYTES,
      onError: (c) => c.json(errorBody('payload_too_large', TOO_LARGE), 413),
    }),
    async (c) => {
      const q = readQuery(c, importQuery);
      const mode = q.mode ?? 'append';
      const dryRun = q.dryRun === '1' || q.dryRun === 'true';
      const text = await readRundownBody(c);
      const { stub, access, snap } = await controlledRoom(c);
      const parsed = parseRundownCsv(text, {
        timeZone: snap.room.timeZone,
        day: snap.room.plannedStart ?? snap.serverTime,
      });
      const timers = parsed.rows.flatMap((r) => (r.timer ? [r.timer] : []));
      const base = { mode, timers, ignoredColumns: parsed.ignoredColumns };
      if (dryRun) {
        const errors = parsed.errors.length > 0 ? parsed.errors : capacityErrors(parsed, snap.timers.length, mode);
        return c.json({ applied: false, dryRun: true, ...base, rows: parsed.rows, errors });
      }
      if (parsed.errors.length > 0) {
        const n = parsed.errors.length;
        const first = parsed.errors[0] as { row: number; message: string };
        const message = `${n} ${n === 1 ? 'row has' : 'rows have'} errors; nothing was imported (row ${first.row}: ${first.message})`;
        return c.json(
          {
            ...errorBody('invalid_rundown', message.slice(0, 300), { errors: parsed.errors }),
            applied: false,
            ...base,
            errors: parsed.errors,
          },
          422,
        );
      }
      // The room object checks the cap again (409 too_many_timers): the room may have grown since the snapshot.
      const answer = unwrap(await stub.command(access, { type: 'import-rundown', mode, timers }, idempotencyKey(c)));
      return c.json({ applied: true, ...base, errors: [], version: answer.version });
    },
  )
  .get('/rooms/:id/rundown.csv', async (c) => {
    const { snap } = await controlledRoom(c);
    const res = csvResponse(`${snap.room.name}-rundown.csv`, exportRundownCsv(snap.timers));
    res.headers.set('Cache-Control', 'no-store');
    return res;
  });
