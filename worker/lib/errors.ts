/** One typed HTTP error; `app.onError` maps it to `{ error: { code, message, details? } }`. */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { statusFor } from '../../core/errors.ts';

export class ApiError extends HTTPException {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
    status?: number,
    readonly headers: Record<string, string> = {},
  ) {
    super((status ?? statusFor(code)) as ContentfulStatusCode, { message });
  }
}

export { errorBody } from '../../core/errors.ts';
