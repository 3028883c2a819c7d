/** Stubs for the objects that ops and the cron talk to. */
import type { ObjectRef } from '../ops/ops.ts';
import type { Env } from './env.ts';

export const opsStub = (env: Env) => env.OPS.get(env.OPS.idFromName('global'));

/** The object a report names, as a stub that can drain and replay its outbox. */
export function objectStub(env: Env, ref: ObjectRef) {
  switch (ref.kind) {
    case 'room':
      return env.TIMER_ROOM.get(env.TIMER_ROOM.idFromName(ref.name));
    case 'account':
      return env.ACCOUNT.get(env.ACCOUNT.idFromName(ref.name));
    case 'session':
      return env.USER_SESSION.get(env.USER_SESSION.idFromName(ref.name));
    case 'rack':
      return env.RACK.get(env.RACK.idFromName(ref.name));
    case 'floor':
      return env.FLOOR.get(env.FLOOR.idFromName(ref.name));
    case 'warehouse':
      return env.WAREHOUSE.get(env.WAREHOUSE.idFromName(ref.name));
    default:
      return null;
  }
}
