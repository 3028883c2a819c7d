import { describe, expect, it } from 'vitest';
import { guardText, splitCsv, unguardText } from './csv-text.ts';
import { MAX_TIMERS } from './transition.ts';
import {
  type TimerDefinition,
  capacityErrors,
  exportRundownCsv,
  parseRundownCsv,
  rundownTemplate,
} from './rundown-csv.ts';

const ctx = { timeZone: 'UTC', day: Date.UTC(2026, 2, 14, 12) };
const parse = (text: string) => parseRundownCsv(text, ctx);
const defs = (text: string) => {
  const r = parse(text);
  expect(r.errors).toEqual([]);
  return r.rows.map((row) => row.timer as TimerDefinition);
};
const def = (fields: Partial<TimerDefinition>): TimerDefinition => ({
  label: '',
  durationMs: 0,
  mode: 'countdown',
  trigger: 'manual',
  plannedStart: null,
  warnMs: null,
  dangerMs: null,
  notes: '',
  startAt: null,
  targetTime: null,
  ...fields,
});

describe('spreadsheet exports', () => {
  it('Google Sheets: comma CSV, CRLF, quoted commas, quoted newlines, doubled quotes', () => {
    const sheet = [
      'Title,Duration,Mode,Trigger,Start,Warning,Danger,Notes',
      'Welcome,5:00,countdown,manual,09:00,1:00,0:15,"Lights down, music off"',
      '"Keynote ""Future""",45m,Count Down,Linked,,5m,1m,"Line one',
      'line two"',
      'Break,15,countup,,,,,',
    ].join('\r\n');
    expect(defs(sheet)).toEqual([
      def({
        label: 'Welcome',
        durationMs: 300_000,
        plannedStart: Date.UTC(2026, 2, 14, 9),
        warnMs: 60_000,
        dangerMs: 15_000,
        notes: 'Lights down, music off',
      }),
      def({
        label: 'Keynote "Future"',
        durationMs: 2_700_000,
        trigger: 'linked',
        warnMs: 300_000,
        dangerMs: 60_000,
        notes: 'Line one\r\nline two',
      }),
      def({ label: 'Break', durationMs: 900_000, mode: 'countup' }),
    ]);
    // The quoted newline stays inside row 3: the next row is row 4, as the spreadsheet numbers it.
    expect(parse(sheet).rows.map((r) => r.row)).toEqual([2, 3, 4]);
  });

  it('Excel in a decimal-comma locale: BOM, `;` separator, `sep=` line, "Duration (min)" header', () => {
    const excel = '\uFEFFsep=;\r\nLabel;Duration (min);Notes\r\nIntro;2,5;"a;b"\r\nTalk;20;\r\n';
    const r = parse(excel);
    expect(r.errors).toEqual([{ row: 2, message: expect.stringMatching(/^duration: ambiguous decimal comma/) }]);
    const fixed = defs(excel.replace('2,5', '2.5'));
    expect(fixed.map((d) => [d.label, d.durationMs, d.notes])).toEqual([
      ['Intro', 150_000, 'a;b'],
      ['Talk', 1_200_000, ''],
    ]);
  });

  it('Excel without sep=: the header decides between `;` and `,`', () => {
    const semi = '\uFEFFlabel;duration;warn\r\nA, with comma;1:00;0:10\r\n';
    expect(defs(semi)).toEqual([def({ label: 'A, with comma', durationMs: 60_000, warnMs: 10_000 })]);
  });

  it('LibreOffice: LF line ends, every cell quoted, a trailing blank line, seconds header', () => {
    const calc = '"label","duration (s)","danger (s)"\n"Opening","90","10"\n"",""\n"Close","30",""\n\n';
    const r = parse(calc);
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => [x.row, x.timer?.label, x.timer?.durationMs, x.timer?.dangerMs])).toEqual([
      [2, 'Opening', 90_000, 10_000],
      [4, 'Close', 30_000, null],
    ]);
  });

  it('Numbers-like: CR-only line ends and extra columns that are ignored', () => {
    const numbers = 'Cue,Length,Owner,Notes\rOne,1:00:00,Sam,\rTwo,0:30,Kim,"x"\r';
    const r = parse(numbers);
    expect(r.errors).toEqual([]);
    expect(r.ignoredColumns).toEqual(['Owner']);
    expect(r.rows.map((x) => [x.timer?.label, x.timer?.durationMs, x.timer?.notes])).toEqual([
      ['One', 3_600_000, ''],
      ['Two', 30_000, 'x'],
    ]);
  });

  it('a tab-separated paste from a spreadsheet', () => {
    const paste = 'LABEL\tDURATION\tPLANNED START\tNOTES\nA\t00:05:00\t2026-03-14T10:00:00Z\tcomma, fine\nB\t1h\t\t\n';
    expect(defs(paste)).toEqual([
      def({ label: 'A', durationMs: 300_000, plannedStart: Date.UTC(2026, 2, 14, 10), notes: 'comma, fine' }),
      def({ label: 'B', durationMs: 3_600_000 }),
    ]);
  });

  it('header aliases and unit suffixes', () => {
    const text = 'Name,durationMs,Type,Start trigger,Start time,warn_s,Red,Comments\nA,1500,up,auto,,30,1m,n\n';
    expect(defs(text)).toEqual([
      def({
        label: 'A',
        durationMs: 1500,
        mode: 'countup',
        trigger: 'linked',
        warnMs: 30_000,
        dangerMs: 60_000,
        notes: 'n',
      }),
    ]);
  });
});

describe('per-row errors', () => {
  it('names the row and column, and keeps the good rows', () => {
    const text = [
      'label,duration,mode,trigger,plannedStart,warn,danger,notes',
      'ok,5:00,,,,,,',
      'bad duration,soon,,,,,,',
      'bad mode,1:00,sideways,,,,,',
      'needs start,1:00,,scheduled,,,,',
      'needs target,1:00,time-of-day,,,,,',
      'bad start,1:00,,,1773480600,,,',
      `${'x'.repeat(201)},1:00,,,,,,`,
    ].join('\n');
    const r = parse(text);
    expect(r.rows.map((x) => [x.row, x.timer !== null])).toEqual([
      [2, true],
      [3, false],
      [4, false],
      [5, false],
      [6, false],
      [7, false],
      [8, false],
    ]);
    expect(r.errors.map((e) => e.row)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(r.errors[0]?.message).toMatch(/^duration: soon is not a duration/);
    expect(r.errors[1]?.message).toMatch(/^mode: “sideways” is not one of countdown, countup, time-of-day/);
    expect(r.errors[2]?.message).toMatch(/scheduled timer needs a planned start/);
    expect(r.errors[3]?.message).toMatch(/time-of-day timer needs a planned start/);
    expect(r.errors[4]?.message).toMatch(/epoch seconds/);
    expect(r.errors[5]?.message).toMatch(/^label: longer than 200/);
  });

  it('file-level problems: no header columns, header only, empty, unclosed quote, too many rows', () => {
    expect(parse('title,notes\nA,b\n').errors).toEqual([
      { row: 1, message: expect.stringMatching(/no duration column/) },
    ]);
    expect(parse('label,duration\r\n').errors).toEqual([{ row: 1, message: 'The file has a header but no rows' }]);
    expect(parse('').errors).toEqual([{ row: 1, message: expect.stringMatching(/empty/) }]);
    expect(parse('\uFEFF\r\n\r\n').errors[0]?.row).toBe(1);
    expect(parse('label,duration,duration (s)\nA,1,2\n').errors[0]?.message).toMatch(/Two columns/);
    const unclosed = parse('label,duration,notes\nA,1:00,"open\nB,2:00,x\n');
    expect(unclosed.errors).toEqual([{ row: 2, message: expect.stringMatching(/never closed/) }]);
    const many = ['label,duration', ...Array.from({ length: MAX_TIMERS + 5 }, (_, i) => `t${i},1`)].join('\n');
    const r = parse(many);
    expect(r.rows).toHaveLength(MAX_TIMERS);
    expect(r.errors).toEqual([{ row: MAX_TIMERS + 2, message: expect.stringMatching(/at most 500/) }]);
  });

  it('capacity: an append that would pass the cap names the first row that does not fit', () => {
    const r = parse(['label,duration', 'a,1', 'b,1', 'c,1'].join('\n'));
    expect(capacityErrors(r, MAX_TIMERS - 2, 'append')).toEqual([
      { row: 4, message: expect.stringMatching(/at most/) },
    ]);
    expect(capacityErrors(r, MAX_TIMERS - 3, 'append')).toEqual([]);
    expect(capacityErrors(r, MAX_TIMERS, 'replace')).toEqual([]);
  });
});

describe('export', () => {
  it('writes the documented columns, guards formulas, and reads back the same definitions', () => {
    const timers = [
      def({ label: '=HYPERLINK("http://x")', durationMs: 300_000, notes: '+1 555; -2, @me\n=SUM(A1)' }),
      def({ label: "'=already quoted", durationMs: 1_234, warnMs: 0, dangerMs: 500, mode: 'countup' }),
      def({
        label: 'Scheduled',
        durationMs: 60_000,
        trigger: 'scheduled',
        plannedStart: Date.UTC(2026, 2, 14, 9, 30),
        startAt: Date.UTC(2026, 2, 14, 9, 30),
      }),
      def({
        label: 'Until',
        durationMs: 600_000,
        mode: 'time-of-day',
        plannedStart: Date.UTC(2026, 2, 14, 10),
        targetTime: Date.UTC(2026, 2, 14, 10, 10),
      }),
    ];
    const csv = exportRundownCsv(timers);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('label,duration,mode,trigger,plannedStart,warn,danger,notes');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://x"")",0:05:00,countdown,manual,,,,"'+1 555; '-2, '@me\n'=SUM(A1)"`);
    expect(lines[2]).toBe(`"''=already quoted",0:00:01.234,countup,manual,,0:00:00,0:00:00.500,""`);
    expect(lines[3]).toBe('"Scheduled",0:01:00,countdown,scheduled,2026-03-14T09:30:00.000Z,,,""');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(defs(csv)).toEqual(timers);
  });

  it('the guard is undone exactly, and a bare cell split keeps every record', () => {
    for (const s of ['=1', "'=1", "''=1", 'a;=b', ' -x', '\t@y', 'plain', "it's", "'"])
      expect(unguardText(guardText(s))).toBe(s);
    expect(splitCsv('a,b\n1,2').records).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', '2'] },
    ]);
  });

  it('the template parses cleanly into three rows', () => {
    const r = parse(rundownTemplate());
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(3);
  });
});
