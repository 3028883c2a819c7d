/**
 * Planned vs actual per cue in the room history (issue 12): runs mirrored to Postgres carry the cue's planned start
 * and how far it ended after its planned end, in the history JSON and in runs.csv.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, createRoom, member, startHarness, waitFor } from '../../support/live/harness.ts';

let h: Harness;
let owner: { token: string; id: string };

beforeAll(async () => {
  h = await startHarness();
  owner = await member(h, 'schedule-history');
});

afterAll(async () => {
  await h?.close();
});

interface Run {
  timerId: string;
  status: string;
  plannedStart: number | null;
  overUnderMs: number | null;
  startedAt: number;
  endedAt: number | null;
}

describe('schedule history', () => {
  it('runs carry planned start and over/under, in JSON and CSV', async () => {
    const roomId = await createRoom(h, owner.token, 'Schedule history');
    const plannedStart = Date.now() - 60_000;
    expect((await h.api('PUT', `/api/rooms/${roomId}`, { plannedStart }, owner.token)).status).toBe(200);
    const make = async (label: string) =>
      (await h.api('POST', `/api/rooms/${roomId}/timers`, { label, durationMs: 600_000 }, owner.token)).json.timer;
    const a = await make('Opening');
    const b = await make('Talk');
    expect((await h.api('POST', `/api/rooms/${roomId}/timers/${a.id}/start`, {}, owner.token)).status).toBe(200);
    expect((await h.api('POST', `/api/rooms/${roomId}/next`, {}, owner.token)).status).toBe(200);

    const runs: Run[] = await waitFor(
      'both runs, the first ended',
      async () => {
        const r = await h.api('GET', `/api/rooms/${roomId}/history`, undefined, owner.token);
        const list: Run[] = r.json.runs ?? [];
        return list.length === 2 && list.some((x) => x.timerId === a.id && x.status === 'ended') ? list : null;
      },
      30_000,
    );
    const first = runs.find((r) => r.timerId === a.id) as Run;
    const second = runs.find((r) => r.timerId === b.id) as Run;
    // Started a minute late and cut short: it ended (endedAt − planned end) against its plan.
    expect(first.plannedStart).toBe(plannedStart);
    expect(first.overUnderMs).toBe((first.endedAt as number) - (plannedStart + 600_000));
    expect(first.overUnderMs).toBeLessThan(0);
    // The talk was planned to follow on; it runs late by the same start delay.
    expect(second.plannedStart).toBe(plannedStart + 600_000);
    expect(second.overUnderMs).toBe(second.startedAt - (plannedStart + 600_000));

    const csv = await h.api('GET', `/api/rooms/${roomId}/history/runs.csv`, undefined, owner.token);
    expect(csv.status).toBe(200);
    const [header, ...rows] = (csv.json.raw as string).trim().split('\r\n');
    const cols = (header as string).split(',');
    expect(cols).toContain('planned_start');
    expect(cols.at(-1)).toBe('over_under_ms');
    const opening = rows.find((r) => r.startsWith('"Opening"')) as string;
    const cells = opening.split(',');
    // Instants are text cells, quoted.
    expect(cells[cols.indexOf('planned_start')]).toBe(`"${new Date(plannedStart).toISOString()}"`);
    expect(Number(cells[cols.indexOf('over_under_ms')])).toBe(first.overUnderMs);
  });
});
