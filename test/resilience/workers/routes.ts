/**
 * Every route of the public contract (../shared/API.md) and the README's
 * extensions, as data: method, path template, body and query schemas, who may
 * call it and whether it changes state. The fuzzer and the authorisation
 * matrix both walk this list; a route missing here is a route nobody fuzzes.
 *
 * Path parameters: :room (a room id), :timer, :rack, :rackSession (`<rack>:<token>`),
 * :floor, :dlq (a dead-letter event id), :kind and :name (an object reference), :conflict, :email (an account that
 * does not exist), :apiToken (an API token id no account has), :audit (an audit id `<rack>:<token>` no rack
 * completed), :item (an item code).
 *
 * The routes live by capability under routes/ (platform.ts, rooms.ts, sessions.ts, racks.ts; shared shapes in
 * spec.ts); ROUTES joins them in the catalogue order the fuzzer and the matrix have always walked.
 */
import { PLATFORM_ROUTES } from './routes/platform.ts';
import { RACK_ROUTES, WAREHOUSE_ROUTES } from './routes/racks.ts';
import { ROOM_ROUTES } from './routes/rooms.ts';
import { SESSION_ROUTES, SESSION_WEBHOOK_ROUTES } from './routes/sessions.ts';
import type { RouteSpec } from './routes/spec.ts';

export type { AuthKind, RouteSpec } from './routes/spec.ts';

export const ROUTES: RouteSpec[] = [
  ...PLATFORM_ROUTES,
  ...ROOM_ROUTES,
  ...SESSION_ROUTES,
  ...RACK_ROUTES,
  ...SESSION_WEBHOOK_ROUTES,
  ...WAREHOUSE_ROUTES,
];

/** The path parameters a template names, in order. */
export const paramsOf = (path: string): string[] => [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string);

/** Fills a template; values are URI-encoded unless `raw` is set (for hostile segments). */
export function fillPath(path: string, params: Record<string, string>, raw = false): string {
  return path.replace(/:([A-Za-z]+)/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`no value for :${k} in ${path}`);
    return raw ? v : encodeURIComponent(v);
  });
}

/** Query parameters as a string; nested values are sent as their JSON text. */
export function queryString(q: unknown): string {
  if (!q || typeof q !== 'object' || Array.isArray(q)) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q))
    if (v !== undefined) p.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  return p.toString();
}
