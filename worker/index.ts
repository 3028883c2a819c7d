/** Worker entry: the Hono app, plus the Durable Object classes wrangler binds. */
import { app } from './app.ts';
import { scheduled } from './scheduled.ts';

export { TimerRoom } from '../durable-objects/timer-room.ts';
export { Account } from '../durable-objects/account.ts';
export { RateLimiter } from '../durable-objects/rate-limiter.ts';
export { Ops } from '../durable-objects/ops.ts';
export { UserSession } from '../durable-objects/user-session.ts';
export { Rack } from '../durable-objects/rack.ts';
export { Floor } from '../durable-objects/floor.ts';
export { Warehouse } from '../durable-objects/warehouse.ts';

export default {
  fetch: app.fetch,
  scheduled,
} satisfies ExportedHandler<import('./env.ts').Env>;
