import type { Env, Config } from '../durable-objects/platform/env.ts';
import type { SessionUser } from './lib/jwt.ts';

export interface Vars {
  config: Config;
  user: SessionUser | null;
  requestId: string;
  /** Set by routes that resolve a room before later middleware (e.g. the cache). */
  roomId?: string;
}
export type AppEnv = { Bindings: Env; Variables: Vars };
