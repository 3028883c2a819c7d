import { describe, expect, it } from 'vitest';
import { csvText, toCsv } from './csv.ts';

/** Splits one CSV line into its cells (RFC 4180 quoting), for checking what a spreadsheet would receive. */
function cells(line: string): string[] {
  const out: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
  for (let m = re.exec(line); m && m[0] !== ''; m = re.exec(line)) {
    const raw = m[1] as string;
    out.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
    if (m[2] === '') break;
  }
  return out;
}

describe('CSV', () => {
  it('quotes every text cell and writes numbers, booleans and nulls bare', () => {
    expect(toCsv(['a', 'b', 'c', 'd', 'e'], [['plain', 42, true, null, undefined]])).toBe(
      'a,b,c,d,e\r\n"plain",42,true,,\r\n',
    );
    expect(toCsv(['a'], [['say "hi", then go']])).toBe('a\r\n"say ""hi"", then go"\r\n');
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+cmd', "'+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['x;=HYPERLINK("http://evil")', 'x;\'=HYPERLINK("http://evil")'],
    ['a,=1', "a,'=1"],
    ['a\t=1', "a\t'=1"],
    ['a\n@x', "a\n'@x"],
    ['a\r\n+x', "a\r\n'+x"],
    ['a; =cmd|x', "a; '=cmd|x"],
    ['  =1', "  '=1"],
    ['\uFF1D1+1', "'\uFF1D1+1"],
    ['ok-ish text 5-3', 'ok-ish text 5-3'],
  ])('neutralises a formula fragment in %j', (hostile, safe) => {
    const line = toCsv(['h'], [[hostile]])
      .split('\r\n')
      .slice(1, -1)
      .join('\r\n');
    expect(cells(line)).toEqual([safe]);
  });

  it('no fragment of a hostile cell, split at any separator, starts a formula', () => {
    const hostile = ['x;=1', 'y,+2', 'z\t-3', 'w\n@4', '=a;=b;=c', ' @x', '-', '+', '=', '@'];
    for (const h of hostile) {
      const text = cells(csvText(h))[0] as string;
      for (const part of text.split(/[;,\t\r\n]/)) expect(part.trimStart()).not.toMatch(/^[=+\-@]/);
    }
  });

  it('strips bidi controls', () => {
    const rlo = 'invoice\u202Egnp.exe';
    const all = 'a\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069b';
    expect(csvText(rlo)).toBe('"invoicegnp.exe"');
    expect(csvText(all)).toBe('"ab"');
  });
});
