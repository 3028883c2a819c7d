/** Worker entry: the Hono app, plus the Durable Object classes wrangler binds. */
import { app } from './app.ts';
import { scheduled } from './scheduled.ts';

export { TimerRoom } from '../durable-objects/rooms/timer-room.ts';
export { RoomRelay } from '../durable-objects/rooms/relay.ts';
export { Account } from '../durable-objects/accounts/account.ts';
export { RateLimiter } from '../durable-objects/accounts/rate-limiter.ts';
export { Ops } from '../durable-objects/ops/ops.ts';
export { UserSession } from '../durable-objects/sessions/user-session.ts';
export { Rack } from '../durable-objects/racks/rack.ts';
export { Floor } from '../durable-objects/racks/floor.ts';
export { Warehouse } from '../durable-objects/racks/warehouse.ts';

export default {
  fetch: app.fetch,
  scheduled,
} satisfies ExportedHandler<import('../durable-objects/platform/env.ts').Env>;
