/** Worker entry: the Hono app, plus the Durable Object classes wrangler binds. */
import { app } from './app.ts';

export { TimerRoom } from '../durable-objects/timer-room.ts';
export { Account } from '../durable-objects/account.ts';
export { RateLimiter } from '../durable-objects/rate-limiter.ts';

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<import('./env.ts').Env>;
