/**
 * Builds the fuzzer's requests for one route: bodies broken against the
 * route's schema, raw garbage, hostile credentials, another member's reach,
 * hostile path segments and query strings. Each builder returns plain probes;
 * the test decides which must be refused.
 */
import fc from 'fast-check';
import { scanRecord } from '../../support/builders.ts';
import { UNICODE_EDGES, fromSchema, garbageBodies, mutated } from './fuzz-arbitraries.ts';
import { type Probe, presentations } from './fuzz-lib.ts';
import type { World } from './fuzz-world.ts';
import { type RouteSpec, fillPath, paramsOf, queryString } from './routes.ts';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const upgrade = (r: RouteSpec): Record<string, string> => (r.ws ? { Upgrade: 'websocket' } : {});
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The credentials that route `r` accepts in `w` (the strongest legitimate caller). */
export function legitAuth(r: RouteSpec, w: World): Record<string, string> {
  if (r.auth === 'public') return {};
  return bearer(r.auth === 'admin' ? w.admin.token : w.owner.token);
}

/** A body the route accepts (so a refusal of it is about who asks, not what). */
export function validBody(r: RouteSpec, w: World): unknown {
  const [a, b] = w.timerIds;
  const now = Date.now();
  const bodies: Record<string, unknown> = {
    'create room': { name: 'Fuzz room' },
    // A wrong current password: the fuzzer's own accounts keep theirs (the matrix sends the right one).
    'password change': { currentPassword: 'not-the-password', newPassword: 'another-long-password' },
    'bootstrap admin': { secret: 'not-the-bootstrap-secret' },
    'set role': { role: 'member' },
    'token create': { name: 'Fuzz script', scopes: ['read'] },
    'update room': { name: 'Renamed' },
    'rotate link': { role: 'viewer' },
    'create timer': { label: 'New', durationMs: 1000 },
    'update timer': { label: 'Edited' },
    'adjust timer': { deltaMs: 1000 },
    reorder: { timerIds: [b, a] },
    'rundown import': { csv: 'label,duration,notes\r\n"Imported",1:00,"crew only"\r\n' },
    'set message': { text: 'Wrap up' },
    'device rename': { name: 'Stage left' },
    // A loopback receiver that is never there: development allows it, and its failed deliveries only back off.
    'room webhook create': { url: 'http://127.0.0.1:9/hook/fuzz', events: ['timer.started'] },
    'session webhook create': { url: 'http://127.0.0.1:9/hook/fuzz', events: ['session.started'] },
    'floor webhook create': { url: 'http://127.0.0.1:9/hook/fuzz', events: ['rack.claimed'] },
    'room webhook update': { enabled: false },
    'session webhook update': { enabled: false },
    'floor webhook update': { enabled: false },
    'session start': { label: 'x' },
    'session update': { label: 'Renamed' },
    'session idle answer': { choice: 'keep' },
    'session settings update': { idleLimitMs: 600_000 },
    'session entry create': { startTime: now - 7_200_000, endTime: now - 3_600_000, label: 'Fuzz' },
    'session entry update': { baseVersion: 1, label: 'Edited' },
    'session break rule update': { breakRule: 'de-arbzg' },
    'project create': { name: 'Fuzz project' },
    'project update': { name: 'Renamed' },
    'task create': { title: 'Fuzz task', estimateMs: 3_600_000 },
    'task update': { done: true },
    'rack claim': { floor: w.floor },
    'rack release': w.lease,
    'rack pause': w.lease,
    'rack resume': w.lease,
    'rack force release': { reason: 'fuzz' },
    'rack heartbeat': { fencing_token: w.lease.fencing_token },
    'rack complete': { fencing_token: w.lease.fencing_token },
    'sync batch': {
      ...w.lease,
      records: [
        scanRecord({
          client_record_id: 'fuzz-1',
          item_code: `${w.rack}-ITEM1`,
          verified_qty: 1,
          created_at: now,
          updated_at: now,
        }),
      ],
    },
    'rack conflict resolve': { choice: 'mine' },
    'warehouse create floor': { id: `fz-${crypto.randomUUID().slice(0, 8)}`, name: 'Fuzz floor' },
    'warehouse rename floor': { name: 'First' },
    'warehouse add rack': { rack_id: `FZ${crypto.randomUUID().slice(0, 8)}` },
    'warehouse set expected': { items: [{ item_code: `${w.rack}-ITEM1`, expected_qty: 3 }] },
    'rack break': { reason: 'fuzz' },
    'rack handoff': { to_user_id: w.other.user.id, reason: 'fuzz' },
    'warehouse floor review': { qty: 50, pct: null },
    'warehouse rack blind': { blind: null },
    'warehouse import': { csv: `rack,item_code,description,expected_qty,serials\n${w.rack},${w.rack}-ITEM1,,3,\n` },
    'review decide': { decision: 'accept' },
    signup: { email: 'someone@keeptime.test', password: 'long-enough-1', name: 'Someone' },
    login: { email: 'someone@keeptime.test', password: 'x' },
  };
  return bodies[r.name] ?? (r.body ? {} : undefined);
}

function probe(r: RouteSpec, label: string, path: string, headers: Record<string, string>, body?: BodyInit): Probe {
  return {
    label: `${r.name} / ${label}`,
    method: r.method,
    path,
    headers: { ...upgrade(r), ...headers },
    ...(body !== undefined ? { body } : {}),
  };
}

const withBody = (json: unknown): { headers: Record<string, string>; body?: string } =>
  json === undefined ? { headers: {} } : { headers: JSON_TYPE, body: JSON.stringify(json) };

/** Bodies generated from the route's schema, each broken in one way; sent by a legitimate caller. */
export function mutatedBodies(r: RouteSpec, w: World, n: number, seed: number): Probe[] {
  if (!r.body) return [];
  const path = fillPath(r.path, w.params);
  return fc
    .sample(mutated(r.body), { numRuns: n, seed })
    .map((v) => probe(r, 'mutated body', path, { ...legitAuth(r, w), ...JSON_TYPE }, JSON.stringify(v)));
}

/** Raw garbage bodies (truncated, invalid UTF-8, deep, wrong types); sent by a legitimate caller. */
export function garbage(r: RouteSpec, w: World): Probe[] {
  if (!r.body) return [];
  const path = fillPath(r.path, w.params);
  return garbageBodies(validBody(r, w)).map((g) =>
    probe(
      r,
      `garbage ${g.name}`,
      path,
      { ...legitAuth(r, w), ...(g.contentType ? { 'Content-Type': g.contentType } : {}) },
      g.body as BodyInit,
    ),
  );
}

/**
 * Hostile credentials with a body the route would accept: none, each hostile
 * session token in each presentation, and (on room routes) rotated, foreign
 * and forged share tokens, and viewer tokens where control is needed.
 */
export function hostileCallers(r: RouteSpec, w: World, tokens: Record<string, string>, json: unknown): Probe[] {
  if (r.auth === 'public') return [];
  const path = fillPath(r.path, w.params);
  const { headers: bodyHeaders, body } = withBody(json);
  const out: Probe[] = [probe(r, 'anonymous', path, bodyHeaders, body)];
  for (const [name, token] of Object.entries(tokens))
    for (const p of presentations(token))
      out.push(
        probe(r, `token ${name}`, p.query ? `${path}?${p.query}` : path, { ...bodyHeaders, ...p.headers }, body),
      );
  if (r.auth.startsWith('room-')) {
    const shareTokens: Record<string, string> = {
      rotated: w.rotated,
      'other room viewer': w.otherRoom.links.viewer,
      'other room controller': w.otherRoom.links.controller,
      forged: `${w.room.id}_${'A'.repeat(24)}`,
      'secret of another room': `${w.room.id}_${w.otherRoom.links.controller.split('_')[1]}`,
      ...(r.auth === 'room-read' ? {} : { viewer: w.viewer }),
      ...(r.auth === 'room-owner' ? { controller: w.controller } : {}),
    };
    for (const [name, token] of Object.entries(shareTokens)) {
      out.push(probe(r, `share ${name} (query)`, `${path}?token=${encodeURIComponent(token)}`, bodyHeaders, body));
      out.push(probe(r, `share ${name} (header)`, path, { ...bodyHeaders, 'X-Room-Token': token }, body));
      // A share token also names its room in the path (/api/rooms/<token>/...); another room's token there opens that room.
      if (token.startsWith(`${w.room.id}_`))
        out.push(probe(r, `share ${name} (path)`, fillPath(r.path, { ...w.params, room: token }), bodyHeaders, body));
    }
    out.push(
      probe(r, 'huge X-Room-Token', path, { ...bodyHeaders, 'X-Room-Token': `${w.room.id}_${'A'.repeat(8000)}` }, body),
    );
  }
  return out;
}

/** Routes that read Idempotency-Key before acting: room commands, room settings, session commands. */
const readsIdempotencyKey = (r: RouteSpec) =>
  (r.auth === 'room-control' && r.writes) ||
  ['update room', 'rotate link'].includes(r.name) ||
  (r.path.startsWith('/api/sessions/') && r.method === 'POST');

/** A valid command from its legitimate caller with an Idempotency-Key no route may take. */
export function badIdempotencyKeys(r: RouteSpec, w: World, json: unknown): Probe[] {
  if (!readsIdempotencyKey(r)) return [];
  const { headers: bodyHeaders, body } = withBody(json);
  return ['', 'k'.repeat(129), 'k'.repeat(10_000)].map((key) =>
    probe(
      r,
      `Idempotency-Key of ${key.length}`,
      fillPath(r.path, w.params),
      { ...legitAuth(r, w), ...bodyHeaders, 'Idempotency-Key': key },
      body,
    ),
  );
}

/** Another member reaching for the owner's room, rack, lease and sessions. */
export function otherMember(r: RouteSpec, w: World, json: unknown): Probe[] {
  if (r.auth === 'public' || r.auth === 'admin') return [];
  const asOther = bearer(w.other.token);
  const { headers: bodyHeaders, body } = withBody(json);
  const out: Probe[] = [];
  if (paramsOf(r.path).length > 0 || r.name.startsWith('sync'))
    out.push(probe(r, "another member's ids", fillPath(r.path, w.params), { ...asOther, ...bodyHeaders }, body));
  if (r.query && 'userId' in ((r.query as unknown as { shape?: object }).shape ?? {}))
    out.push(
      probe(
        r,
        "another member's userId",
        `${fillPath(r.path, w.params)}?userId=${w.owner.user.id}`,
        { ...asOther, ...bodyHeaders },
        body,
      ),
    );
  return out;
}

/** Path segments no id may be: empty, encoded separators, bad escapes, huge, unicode. */
export const HOSTILE_SEGMENTS: string[] = [
  '',
  ' ',
  '%',
  '%zz',
  '%00',
  '%2F',
  'a%2F..%2Fb',
  '%E0%A4%A',
  '%ED%A0%80',
  '%C0%AF',
  '%FF',
  '~',
  'null',
  'undefined',
  '-1',
  '0',
  '1e999',
  'NaN',
  '__proto__',
  'constructor',
  'x'.repeat(3000),
  '0'.repeat(20),
  'f'.repeat(20),
  'G01:999999999999999999',
  'G01:-1',
  'Z99:1',
  ...UNICODE_EDGES.map((s) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return '%ED%A0%80';
    }
  }),
];

/** The route with each path parameter replaced, one at a time, by each hostile segment. */
export function hostilePaths(r: RouteSpec, w: World, json: unknown): Probe[] {
  const { headers: bodyHeaders, body } = withBody(json);
  const out: Probe[] = [];
  for (const param of paramsOf(r.path))
    for (const seg of HOSTILE_SEGMENTS) {
      const params = Object.fromEntries(Object.entries(w.params).map(([k, v]) => [k, encodeURIComponent(v)]));
      params[param] = seg;
      out.push(
        probe(
          r,
          `path :${param}=${seg.slice(0, 20)}`,
          fillPath(r.path, params, true),
          { ...legitAuth(r, w), ...bodyHeaders },
          body,
        ),
      );
    }
  return out;
}

/** Raw query strings that have crashed decoders and strict parsers. */
export const HOSTILE_QUERIES = [
  '%',
  '%E0%A4%A',
  'limit=%ff',
  'limit=-1',
  'limit=1e999',
  'limit=NaN',
  'limit=1&limit=2',
  'days=0',
  'days=99999999999999999999',
  'tzOffset=-841',
  'cursor=%00',
  'cursor=eyJ',
  'cursor=MTIzOmE',
  'userId=',
  'userId[]=1',
  `userId=${'x'.repeat(5000)}`,
  'floor=..%2F..',
  'floor=GROUND',
  'token=%ED%A0%80',
  `token=${'A'.repeat(5000)}`,
  'ticks=1&device=%00%00',
  `device=${'d'.repeat(1000)}`,
  '&&&==&',
  '__proto__=1',
  'constructor[prototype][admin]=1',
  // What real clients send: empty parameters (not given) and cache-busters (ignored).
  'userId=&limit=&cursor=',
  'days=&tzOffset=&userId=',
  '_=1712345678901',
  'limit=&_=&cursor=&nocache=1',
  'floor=Ground',
  'floor=&floor=ground',
];

/** Query strings generated from the route's query schema and broken, plus raw hostile ones. */
export function hostileQueries(r: RouteSpec, w: World, n: number, seed: number): Probe[] {
  if (r.method !== 'GET') return [];
  const path = fillPath(r.path, w.params);
  const auth = legitAuth(r, w);
  const generated = r.query ? fc.sample(mutated(r.query), { numRuns: n, seed }).map((q) => queryString(q)) : [];
  const valid = r.query
    ? fc.sample(fromSchema(r.query), { numRuns: Math.ceil(n / 4), seed }).map((q) => queryString(q))
    : [];
  // Valid queries with a cache-buster, and with every known parameter given empty: both are what clients send.
  const known = Object.keys((r.query as unknown as { shape?: object } | undefined)?.shape ?? {});
  const busted = valid.map((q) => `${q}${q ? '&' : ''}_=${seed}`);
  const empties = known.length ? [known.map((k) => `${k}=`).join('&')] : [];
  return [...HOSTILE_QUERIES, ...generated, ...valid, ...busted, ...empties].map((q) =>
    probe(r, `query ${q.slice(0, 30)}`, `${path}?${q}`, auth),
  );
}
