/**
 * The typed API client: Hono's route types (a type-only import of the
 * Worker's `ApiRoutes`, read from its declarations) name each route, its
 * parameters and its answer; requests still go through `api()`, so
 * credentials, headers, errors and the runtime guards stay as they are.
 */
import { type InferResponseType, hc } from 'hono/client';
import type { ApiRoutes } from '../../../../worker/app-types.ts';
import { type ApiOptions, api } from './api.ts';

const API_BASE = '/api';

/**
 * A typed client for one area of the API. Only its paths are used at run
 * time; requests go through `api()`, so credentials, headers and errors stay
 * the same everywhere.
 */
export const apiClient = <K extends keyof ApiRoutes>(_area: K) => hc<ApiRoutes[K]>(API_BASE);

type Method = 'get' | 'post' | 'put' | 'delete';
/** One route of a typed client, e.g. `rooms.rooms[':id']`. */
interface Route {
  $path: (args: never) => string;
}
type PathArgs<R extends Route> = Parameters<R['$path']>[0];
/** What a route answers on success. */
type RouteAnswer<E> = InferResponseType<E, 200 | 201>;

/**
 * `api()` on a typed route: the client names the route and its parameters, and
 * the compiler checks that the guard admits what the route answers (else the
 * call wants a sixth argument, this message).
 */
export function call<R extends Route, M extends `$${Method}` & keyof R, T>(
  route: R,
  method: M,
  args: PathArgs<R>,
  guard: (v: unknown) => v is T,
  opts: Omit<ApiOptions, 'method'> = {},
  ..._check: [RouteAnswer<R[M]>] extends [T] ? [] : ['the route answers what the guard does not admit']
): Promise<T> {
  const path = (route.$path as (a: unknown) => string)(args);
  return api(`${API_BASE}${path}`, guard, { ...opts, method: method.slice(1).toUpperCase() as ApiOptions['method'] });
}
