import type { Env, Config } from './env.ts';
import type { SessionUser } from './lib/jwt.ts';

export interface Vars {
  config: Config;
  user: SessionUser | null;
  requestId: string;
}
export type AppEnv = { Bindings: Env; Variables: Vars };
