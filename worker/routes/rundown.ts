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
import { readCsvBody } from '../lib/csv-body.ts';
import { ApiError, errorBody } from '../lib/errors.ts';
import { readQuery } from '../middleware/validate.ts';
import { idempotencyKey, roomTarget } from './rooms.ts';

const TOO_LARGE = `A rundown file is limited to ${RUNDOWN_CSV_MAX_BYTES / 1024} KB`;
const importQuery = z.strictObject({
  mode: z.enum(['replace', 'append']).optional(),
  dryRun: z.enum(['1', '0', 'true', 'false']).optional(),
});

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
      const text = await readCsvBody(c, RUNDOWN_CSV_MAX_BYTES, TOO_LARGE);
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
