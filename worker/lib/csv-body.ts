/**
 * The CSV text of an upload: a text/csv (or text/plain, TSV) body, or JSON `{csv}`; UTF-8 (a BOM is fine) or UTF-16
 * with its BOM. Over `maxBytes` → 413; empty → 400; another type → 415.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-types.ts';
import { ApiError } from './errors.ts';
import { check } from '../middleware/validate.ts';

const TEXT_TYPES = /^(text\/(csv|plain|tab-separated-values))\b/i;
const JSON_TYPE = /^application\/(.+\+)?json\b/i;
const jsonBody = z.strictObject({ csv: z.string() });

function decode(bytes: Uint8Array): string {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      return new TextDecoder('utf-16le', { fatal: true, ignoreBOM: false }).decode(bytes);
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
      return new TextDecoder('utf-16be', { fatal: true, ignoreBOM: false }).decode(bytes);
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ApiError('bad_request', 'The file is not UTF-8 text: save it as “CSV UTF-8” and try again');
  }
}

export async function readCsvBody(c: Context<AppEnv>, maxBytes: number, tooLarge: string): Promise<string> {
  if (Number(c.req.header('Content-Length') ?? '0') > maxBytes) throw new ApiError('payload_too_large', tooLarge);
  const type = c.req.header('Content-Type') ?? '';
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw new ApiError('payload_too_large', tooLarge);
  if (bytes.byteLength === 0) throw new ApiError('validation_failed', 'The body is empty: send the CSV');
  if (TEXT_TYPES.test(type)) return decode(bytes);
  if (!JSON_TYPE.test(type))
    throw new ApiError('unsupported_media_type', 'Send the file as text/csv, or JSON {"csv": "..."}');
  let json: unknown;
  try {
    json = JSON.parse(decode(bytes));
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError('invalid_json', 'The body is not valid JSON');
  }
  return check(jsonBody, json).csv;
}
