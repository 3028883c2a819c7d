import type { Env, Config } from '../durable-objects/platform/env.ts';
import type { SessionUser } from './lib/jwt.ts';
import type { SessionClaims } from '../durable-objects/accounts/session-check.ts';
import type { Scope } from '../durable-objects/accounts/pat.ts';
import type { authRoutes } from './routes/auth.ts';
import type { healthRoutes } from './routes/health.ts';
import type { historyRoutes } from './routes/history.ts';
import type { opsRoutes } from './routes/ops.ts';
import type { rackConflictRoutes } from './routes/rack-conflicts.ts';
import type { rackRoutes } from './routes/racks.ts';
import type { roomRoutes } from './routes/rooms.ts';
import type { sessionRoutes } from './routes/sessions.ts';
import type { warehouseRoutes } from './routes/warehouse.ts';

interface Vars {
  config: Config;
  user: SessionUser | null;
  /** The verified token's claims when `user` is set (revocation and the socket re-check use them). */
  session?: SessionClaims;
  /** Set for a personal API token only: what it may do (middleware/scopes.ts). A login token has every scope. */
  scopes?: readonly Scope[];
  requestId: string;
  /** Set by routes that resolve a room before later middleware (e.g. the cache). */
  roomId?: string;
  /** Set with roomId: whether the caller owns the room or holds a link (link holders see no user ids). */
  roomView?: 'owner' | 'link';
}
export type AppEnv = { Bindings: Env; Variables: Vars };

/**
 * The API's route types by area, for the site's typed client: `hc<ApiRoutes['rooms']>('/api')`
 * (a type-only import; every area but health is mounted under /api).
 */
export interface ApiRoutes {
  auth: typeof authRoutes;
  health: typeof healthRoutes;
  history: typeof historyRoutes;
  ops: typeof opsRoutes;
  rackConflicts: typeof rackConflictRoutes;
  racks: typeof rackRoutes;
  rooms: typeof roomRoutes;
  sessions: typeof sessionRoutes;
  warehouse: typeof warehouseRoutes;
}
