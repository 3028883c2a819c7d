/** Body and query validation: every malformed input is a clear 4xx, never a 5xx. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { LIMITS } from '../../core/errors.ts';
import { ApiError } from '../lib/errors.ts';

/** Reads and validates a JSON body against `schema`. An empty body counts as `{}`. */
export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const declared = Number(c.req.header('Content-Length') ?? '0');
  if (declared > LIMITS.httpBody)
    throw new ApiError('payload_too_large', `Bodies are limited to ${LIMITS.httpBody} bytes`);
  // Bytes, not characters: the limit is on what crosses the wire (and .text() warns on non-text types).
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > LIMITS.httpBody)
    throw new ApiError('payload_too_large', `Bodies are limited to ${LIMITS.httpBody} bytes`);
  const type = c.req.header('Content-Type') ?? '';
  if (bytes.byteLength > 0 && !/^application\/(.+\+)?json\b/i.test(type))
    throw new ApiError('unsupported_media_type', 'Send JSON with Content-Type: application/json');
  let json: unknown = {};
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    if (text.trim().length > 0) json = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_json', 'The body is not valid UTF-8 JSON');
  }
  return check(schema, json);
}

/**
 * Reads and validates the query string. An empty parameter (`?userId=&limit=`) counts as not given, and a
 * parameter the schema does not name (a cache-buster such as `_=123`) is ignored, so strict query schemas
 * refuse only bad values of the parameters they know.
 */
export function readQuery<T>(c: Context, schema: z.ZodType<T>): T {
  return check(schema, queryInput(c.req.query(), schema));
}

/** The given, known parameters of `query` for `schema` (every given one when the schema is not an object). */
function queryInput(query: Record<string, string>, schema: z.ZodType): Record<string, string> {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  const known = shape && typeof shape === 'object' ? shape : null;
  return Object.fromEntries(
    Object.entries(query).filter(([k, v]) => v !== '' && (known === null || Object.hasOwn(known, k))),
  );
}

export function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const details = r.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ApiError(
      'validation_failed',
      details
        .map((d) => (d.path ? `${d.path}: ${d.message}` : d.message))
        .join('; ')
        .slice(0, 300),
      details,
    );
  }
  return r.data;
}
