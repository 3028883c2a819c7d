import { describe, expect, it } from 'vitest';
import type { Entry } from '../../lib/sessions/entries.ts';
import { checkForm, formOf, toLocalInput } from './entry-form.ts';

const base = Date.UTC(2026, 11, 7, 9, 0, 0);
const entry = (over: Partial<Entry> = {}): Entry => ({
  id: 'e1',
  startTime: base + 400,
  endTime: base + 5_900,
  duration: 5_500,
  elapsedTime: 5_300,
  pausedTime: 200,
  label: 'Writing',
  pauseSegments: [{ pausedAt: base + 2_100, resumedAt: base + 2_300 }],
  autoStopped: false,
  projectId: null,
  taskId: null,
  tags: [],
  version: 3,
  source: 'live',
  editedAt: null,
  overlaps: [],
  ...over,
});

describe('entry form', () => {
  it('saves an entry with a pause shorter than a second unchanged (exact instants kept)', () => {
    const r = checkForm(formOf(entry(), base + 60_000), base + 60_000);
    expect(r).toMatchObject({
      ok: true,
      input: {
        startTime: base + 400,
        endTime: base + 5_900,
        pauses: [{ pausedAt: base + 2_100, resumedAt: base + 2_300 }],
      },
    });
  });

  it('saves an entry that started and stopped within one second', () => {
    const r = checkForm(formOf(entry({ endTime: base + 800, pauseSegments: [] }), base + 60_000), base + 60_000);
    expect(r).toMatchObject({ ok: true, input: { startTime: base + 400, endTime: base + 800 } });
  });

  it('a field the user changed is read from its text, to the second', () => {
    const f = formOf(entry(), base + 60_000);
    const r = checkForm({ ...f, end: toLocalInput(base + 9_000), label: 'Writing, draft' }, base + 60_000);
    expect(r).toMatchObject({
      ok: true,
      input: { startTime: base + 400, endTime: base + 9_000, label: 'Writing, draft' },
    });
  });

  it('a pause edited to end before it starts is refused with the field named', () => {
    const f = formOf(entry(), base + 60_000);
    const pause = f.pauses[0];
    if (!pause) throw new Error('the entry has a pause');
    const r = checkForm({ ...f, pauses: [{ ...pause, to: toLocalInput(base + 1_000) }] }, base + 60_000);
    expect(r).toEqual({ ok: false, field: 'pause-0', message: 'Pause 1: the end must be after the start' });
  });
});
