import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../errors.ts';
import { type TimerDefinition, exportRundownCsv, parseRundownCsv } from './rundown-csv.ts';

/** CPU-bound fast-check runs: generous on a busy shared machine. */
const PROPERTY_TIMEOUT = 60_000;
const ctx = { timeZone: 'Europe/Paris', day: Date.UTC(2026, 2, 14, 12) };
// Bidi controls are dropped both ways (docs/api.md); labels are trimmed, as the timer routes store them.
const BIDI = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const TRICKY = ['"', ',', ';', '\t', '\n', '\r\n', '\r', "'", '=', '+', '-', '@', ' ', 'é', '\uFEFF', '＝'];
const text = (max: number) =>
  fc
    .array(
      fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 4 }), fc.string({ unit: 'grapheme', maxLength: 3 })),
      {
        maxLength: 12,
      },
    )
    .map((parts) => parts.join('').replace(BIDI, '').slice(0, max));
const duration = fc.oneof(
  fc.constantFrom(0, 1_000, 300_000, 5_400_000),
  fc.integer({ min: 0, max: LIMITS.maxDurationMs }),
);
const instant = fc.integer({ min: 1e12, max: 4e12 });

const definition: fc.Arbitrary<TimerDefinition> = fc
  .record({
    label: text(LIMITS.label).map((s) => s.trim()),
    durationMs: duration,
    mode: fc.constantFrom('countdown', 'countup', 'time-of-day' as const),
    trigger: fc.constantFrom('manual', 'linked', 'scheduled' as const),
    plannedStart: fc.option(instant, { nil: null }),
    warnMs: fc.option(duration, { nil: null }),
    dangerMs: fc.option(duration, { nil: null }),
    notes: text(LIMITS.notes),
  })
  .map((d) => {
    // Scheduled and time-of-day cues take their times from the planned start (the CSV's model).
    const needsStart = d.trigger === 'scheduled' || d.mode === 'time-of-day';
    const plannedStart = needsStart ? (d.plannedStart ?? 1_773_480_600_000) : d.plannedStart;
    return {
      ...d,
      plannedStart,
      startAt: d.trigger === 'scheduled' ? plannedStart : null,
      targetTime: d.mode === 'time-of-day' ? (plannedStart as number) + d.durationMs : null,
    };
  });

describe('rundown CSV properties', () => {
  it(
    'export → import gives the same definitions',
    () => {
      fc.assert(
        fc.property(fc.array(definition, { maxLength: 20 }), (timers) => {
          const parsed = parseRundownCsv(exportRundownCsv(timers), ctx);
          if (timers.length === 0) {
            expect(parsed.rows).toEqual([]);
            return;
          }
          expect(parsed.errors).toEqual([]);
          expect(parsed.rows.map((r) => r.timer)).toEqual(timers);
        }),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'the parser never throws, and every error names a row of the file',
    () => {
      const cell = fc.oneof(
        fc.constantFrom('', '5:00', '1h 30m', '90s', '1,5', 'x', '09:30', '2026-03-14T09:00Z', 'countup', 'scheduled'),
        fc.string({ maxLength: 8 }),
      );
      const header = fc.constantFrom(
        'label,duration,mode,trigger,plannedStart,warn,danger,notes',
        'Title;Duration (min);Notes',
        'LABEL\tDURATION',
        '\uFEFFsep=;\nlabel;duration',
        'x,y',
      );
      const file = fc.tuple(
        header,
        fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 15 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.string({ maxLength: 30 }),
      );
      fc.assert(
        fc.property(file, ([h, rows, sep, eol, noise]) => {
          const csv = [h, ...rows.map((r) => r.join(sep))].join(eol) + noise;
          const r = parseRundownCsv(csv, ctx);
          const lines = csv.split(/\r\n|\r|\n/).length;
          for (const e of r.errors) {
            expect(e.row).toBeGreaterThanOrEqual(1);
            expect(e.row).toBeLessThanOrEqual(lines);
            expect(e.message.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: 500 },
      );
      fc.assert(
        fc.property(fc.string({ maxLength: 400 }), fc.string({ maxLength: 40 }), (junk, tz) => {
          parseRundownCsv(junk, { timeZone: tz, day: 0 });
        }),
        { numRuns: 500 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
