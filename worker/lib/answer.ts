/**
 * The one mapping from a Durable Object's answer to HTTP: an accepted answer
 * gives its value; a refusal throws the one typed error, which `app.onError`
 * turns into `{ error: { code, message, details? } }` with the code's status.
 */
import type { Answer } from '../../core/errors.ts';
import { ApiError } from './errors.ts';

export function unwrap<T>(answer: Answer<T>): T {
  if (!answer.ok) throw new ApiError(answer.code, answer.message, answer.details);
  return answer.value;
}
