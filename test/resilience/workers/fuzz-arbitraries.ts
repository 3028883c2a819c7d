/**
 * fast-check arbitraries derived from the zod schemas in core/protocol.ts:
 * valid-ish values (`fromSchema`), values the schema must refuse (`mutated`),
 * hostile scalars (`hostileValue`) and raw garbage bodies (`garbageBodies`).
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { LIMITS } from '../../../core/protocol.ts';

type Any = z.ZodType;
// zod 4 keeps a schema's definition under `_zod.def`; the checks carry the bounds.
const def = (s: Any): any => (s as any)._zod.def;
const checks = (s: Any): any[] => (def(s).checks ?? []).map((c: any) => c._zod.def);

/** Strings that have broken parsers, loggers and databases before. */
export const UNICODE_EDGES = [
  '\uD800',
  '\uDFFF',
  'a\uDC00b',
  '\u202Egnp.exe',
  '\u200B\u200C\u200D\u2060\uFEFF',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '\u0000',
  'nul\u0000in the middle',
  'e\u0301'.repeat(50),
  'ﷺ𒐫',
  '\r\n\t\u2028\u2029',
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  '%00%ff%c0%af',
  '../../../../etc/passwd',
  '__proto__',
  '{{7*7}}',
  '\\u0000',
];

/** Numbers (and numbers as strings) at and beyond the edges. */
export const NUMBER_EDGES: unknown[] = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-0',
  '0x10',
  '١٢٣',
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER + 2,
  -(Number.MAX_SAFE_INTEGER + 2),
  2 ** 31,
  -(2 ** 31) - 1,
  LIMITS.maxDurationMs + 1,
  -1,
  0.5,
  -0,
];

/**
 * Instants as migrating clients send them, and as they get them wrong: epoch seconds (refused by name), zoneless
 * and impossible ISO strings, digits as a string.
 */
export const INSTANT_EDGES: unknown[] = [
  1_700_000_000,
  1.7e9,
  999_999_999_999,
  '2026-01-31T09:00:00',
  '2026-02-30T00:00:00Z',
  '2026-01-31',
  '1767225600000',
  '2026-01-31T09:00:00+24:00',
];

/** An ISO-8601 string at a fixed offset from UTC, as a client in another zone writes it. */
const isoAt = (ms: number, offsetMin: number): string => {
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, -1);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
};

/**
 * Instants a client could send (core/instant.ts): epoch ms, ISO-8601 strings in UTC or at an offset, and now and
 * then epoch seconds, which the schema refuses by name.
 */
export const instantValue: fc.Arbitrary<unknown> = (() => {
  const ms = fc.integer({ min: 1_000_000_000_000, max: 4_102_444_800_000 });
  return fc.oneof(
    { weight: 3, arbitrary: ms },
    { weight: 3, arbitrary: ms.map((t) => new Date(t).toISOString()) },
    {
      weight: 2,
      arbitrary: fc.tuple(ms, fc.constantFrom(-480, -300, 0, 60, 330, 840)).map(([t, off]) => isoAt(t, off)),
    },
    { weight: 1, arbitrary: ms.map((t) => Math.floor(t / 1000)) },
  );
})();

/** One value of a wrong or extreme kind for any field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      ...NUMBER_EDGES,
      ...INSTANT_EDGES,
      ...UNICODE_EDGES,
      null,
      true,
      false,
      [],
      {},
      '',
      ' ',
      [null],
      {
        $ne: null,
      },
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  // Long, but inside the body limit, so the schema (not the size check) must refuse it.
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(5_000), '€'.repeat(3_000), '\uD83D'.repeat(2_000)) },
);

/** Valid-ish values: what a correct client could send, within the schema's bounds (refinements aside). */
export function fromSchema(schema: Any): fc.Arbitrary<unknown> {
  // The one instant schema (core/instant.ts) says what it is; its union-and-transform shape says nothing useful.
  if ((schema as { description?: string }).description === 'instant') return instantValue;
  const d = def(schema);
  switch (d.type) {
    case 'object': {
      const shape = d.shape as Record<string, Any>;
      const required = Object.keys(shape).filter((k) => !['optional', 'default'].includes(def(shape[k] as Any).type));
      const fields = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, fromSchema(v)]));
      return fc.record(fields, { requiredKeys: required });
    }
    case 'optional':
    case 'default':
      return fromSchema(d.innerType);
    case 'nullable':
      return fc.option(fromSchema(d.innerType), { nil: null, freq: 4 });
    case 'pipe':
      // An email is a trimmed string piped into z.email(); other pipes are generated from their input.
      if (def(d.out).type === 'string' && def(d.out).format === 'email') return fc.emailAddress();
      return fromSchema(def(d.in).type === 'transform' ? d.out : d.in);
    case 'string': {
      const s = schema as unknown as { minLength: number | null; maxLength: number | null };
      const regex = checks(schema).find((c) => c.format === 'regex')?.pattern as RegExp | undefined;
      const min = s.minLength ?? 0;
      const max = Math.min(s.maxLength ?? 60, 60);
      if (regex)
        return fc.stringMatching(regex).filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity));
      return fc.string({
        minLength: min,
        maxLength: Math.max(min, max),
        unit: fc.oneof(fc.constantFrom(...'abcXYZ019 -_é€'), fc.constantFrom('👍', '\u200B')),
      });
    }
    case 'number': {
      const n = schema as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
      const min = n.minValue ?? -1e9;
      const max = n.maxValue ?? 1e9;
      const edges = fc.constantFrom(min, max, Math.trunc((min + max) / 2));
      return n.isInt
        ? fc.oneof(edges, fc.integer({ min: Math.max(min, -2_147_483_648), max: Math.min(max, 2_147_483_647) }))
        : fc.oneof(edges, fc.double({ min, max, noNaN: true }));
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(d.values as unknown[]));
    case 'array': {
      const max = checks(schema).find((c) => c.check === 'max_length')?.maximum ?? 5;
      return fc.array(fromSchema(d.element), { maxLength: Math.min(max, 4) });
    }
    case 'union':
      return fc.oneof(...(d.options as Any[]).map(fromSchema));
    case 'never':
      return fc.constant(undefined);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

/**
 * Values `schema` must refuse: a valid-ish value with one field broken,
 * dropped or added, or a body of the wrong kind altogether.
 */
export function mutated(schema: Any): fc.Arbitrary<unknown> {
  const base = fromSchema(schema);
  const broken = fc
    .tuple(base, fc.nat(), hostileValue, fc.constantFrom('replace', 'drop', 'extra', 'proto'))
    .map(([v, i, bad, how]) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return bad;
      const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
      const keys = Object.keys(out);
      const key = keys.length ? (keys[i % keys.length] as string) : 'x';
      if (how === 'replace') out[key] = bad;
      else if (how === 'drop') delete out[key];
      else if (how === 'extra') out[`${key}_${i % 7}`] = bad;
      else {
        const fields = Object.entries(out)
          .filter(([, x]) => x !== undefined)
          .map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`);
        return JSON.parse(`{${['"__proto__":{"admin":true}', ...fields].join(',')}}`) as unknown;
      }
      return out;
    });
  const wrongKind = fc.oneof(hostileValue, fc.array(base, { maxLength: 2 }), fc.jsonValue({ maxDepth: 3 }));
  return fc
    .oneof({ weight: 4, arbitrary: broken }, { weight: 1, arbitrary: wrongKind })
    .filter((v) => !schema.safeParse(v).success);
}

/** Nested arrays (or objects) `depth` levels deep, as JSON text. */
export const deepJson = (depth: number, kind: 'array' | 'object' = 'array'): string =>
  kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

export interface RawBody {
  name: string;
  body: string | Uint8Array;
  contentType: string | null;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * Raw bodies no route may accept: truncated and broken JSON, invalid UTF-8,
 * deep nesting, wrong content types. `valid` is a body the route would accept,
 * so each garbage variant differs from acceptance in exactly one way.
 */
export function garbageBodies(valid: unknown): RawBody[] {
  const text = JSON.stringify(valid);
  const out: RawBody[] = [];
  const json = 'application/json';
  for (let cut = 1; cut < Math.min(text.length, 40); cut += 3)
    out.push({ name: `truncated@${cut}`, body: text.slice(0, cut), contentType: json });
  out.push(
    { name: 'trailing garbage', body: `${text}}`, contentType: json },
    { name: 'two documents', body: `${text}${text}`, contentType: json },
    ...(text.includes('"') ? [{ name: 'single quotes', body: text.replace(/"/g, "'"), contentType: json }] : []),
    { name: 'NaN literal', body: '{"durationMs":NaN,"deltaMs":NaN,"fencing_token":NaN}', contentType: json },
    { name: 'Infinity literal', body: '{"deltaMs":Infinity}', contentType: json },
    { name: 'comment', body: `/* hi */${text}`, contentType: json },
    {
      name: 'invalid utf-8',
      body: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      contentType: json,
    },
    {
      name: 'overlong utf-8',
      body: new Uint8Array([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]),
      contentType: json,
    },
    {
      name: 'cesu surrogate',
      body: new Uint8Array([...utf8('{"text":"'), 0xed, 0xa0, 0x80, ...utf8('"}')]),
      contentType: json,
    },
    { name: 'utf-16 body', body: new Uint8Array([...utf8(text)].flatMap((b) => [b, 0])), contentType: json },
    { name: 'NUL bytes', body: new Uint8Array([0, 0, 0, 0]), contentType: json },
    { name: 'deep arrays', body: deepJson(10_000), contentType: json },
    { name: 'deep objects', body: deepJson(10_000, 'object'), contentType: json },
    { name: 'unclosed deep', body: '['.repeat(10_000), contentType: json },
    { name: 'text/plain', body: text, contentType: 'text/plain' },
    { name: 'form', body: 'name=x&label=y', contentType: 'application/x-www-form-urlencoded' },
    {
      name: 'multipart',
      body: '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--',
      contentType: 'multipart/form-data; boundary=b',
    },
    { name: 'no content type', body: text, contentType: null },
    { name: 'jsonx', body: text, contentType: 'application/jsonx' },
    { name: 'xml', body: '<?xml version="1.0"?><x/>', contentType: 'application/xml' },
    { name: 'json array', body: '[]', contentType: json },
    { name: 'json null', body: 'null', contentType: json },
    { name: 'json string', body: '"{}"', contentType: json },
    { name: 'json number', body: '1e999', contentType: json },
  );
  return out;
}
