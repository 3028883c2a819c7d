/** JSON over fetch, with the API's `{error:{code,message}}` turned into a thrown ApiError. */
import { isRec, isStr } from './guards.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error's `details`, when the API sent any (e.g. a claimed rack's holder). */
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
  }
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** A share token, sent as ?token= (controller links need no account). */
  token?: string | null;
  idempotencyKey?: string;
  /** Non-2xx statuses whose body is still an answer (e.g. a degraded health check's 503). */
  accept?: number[];
}

/** Status 0: the request never got an answer. */
export const NETWORK = 'network';

/**
 * Calls the API and checks the answer with `guard`. Non-2xx answers, network
 * failures and answers the guard rejects all throw an ApiError.
 */
export async function api<T>(path: string, guard: (v: unknown) => v is T, opts: ApiOptions = {}): Promise<T> {
  const url = opts.token ? `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(opts.token)}` : path;
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  // A body-less command declares itself an API call, which no cross-site form can (the API's CSRF guard).
  else if ((opts.method ?? 'GET') !== 'GET') headers['X-Keeptime'] = '1';
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(url, {
      method: opts.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, NETWORK, 'Cannot reach Keeptime. Check your connection and try again.');
  }
  const data: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok && !opts.accept?.includes(res.status)) {
    const err = isRec(data) && isRec(data.error) ? data.error : null;
    const code = err && isStr(err.code) ? err.code : `http_${res.status}`;
    const message = err && isStr(err.message) ? err.message : `The server answered ${res.status}`;
    throw new ApiError(res.status, code, message, err && isRec(err.details) ? err.details : null);
  }
  if (!guard(data))
    throw new ApiError(res.status, 'bad_response', 'The server sent an answer this page does not understand');
  return data;
}

/** Accepts any answer (for commands whose body the caller ignores). */
export const anyBody = (_v: unknown): _v is unknown => true;

/** A message fit to show a person. */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : 'Something went wrong');
