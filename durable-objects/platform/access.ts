/** The Worker passes the verified caller to an object in the X-KT-Access header (it overwrites any client value). */
import type { z } from 'zod';

const ACCESS_HEADER = 'X-KT-Access';

/** The header parsed against `schema`, or null when it is missing or malformed. */
export function readAccessHeader<T>(request: Request, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(request.headers.get(ACCESS_HEADER) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
