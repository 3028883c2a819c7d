/**
 * The one place a Durable Object stub is made: each object is named by its
 * thing's id (a room id, a user id, an email, a rack or floor id), and the
 * Warehouse and Ops are single global objects. The Worker and the objects
 * both ask here.
 */
import type { ObjectRef } from '../ops/ops.ts';
import type { Env } from './env.ts';

/** The name of the one global instance (Warehouse, Ops). */
const GLOBAL = 'global';

export const roomStub = (env: Env, roomId: string, options?: DurableObjectNamespaceGetDurableObjectOptions) =>
  env.TIMER_ROOM.get(env.TIMER_ROOM.idFromName(roomId), options);
/** An account's object is named by its email, lowercased. */
export const accountStub = (env: Env, email: string) => env.ACCOUNT.get(env.ACCOUNT.idFromName(email.toLowerCase()));
export const sessionStub = (env: Env, userId: string) => env.USER_SESSION.get(env.USER_SESSION.idFromName(userId));
export const rackStub = (env: Env, rackId: string) => env.RACK.get(env.RACK.idFromName(rackId));
export const floorStub = (env: Env, floorId: string) => env.FLOOR.get(env.FLOOR.idFromName(floorId));
/** The one Warehouse object (the layout's owner). */
export const warehouseStub = (env: Env) => env.WAREHOUSE.get(env.WAREHOUSE.idFromName(GLOBAL));
export const opsStub = (env: Env) => env.OPS.get(env.OPS.idFromName(GLOBAL));
/** One token bucket per key (a client address and route). */
export const rateLimiterStub = (env: Env, key: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));

/** The object a report names, as a stub that can drain and replay its outbox. */
export function objectStub(env: Env, ref: ObjectRef) {
  switch (ref.kind) {
    case 'room':
      return roomStub(env, ref.name);
    case 'account':
      return accountStub(env, ref.name);
    case 'session':
      return sessionStub(env, ref.name);
    case 'rack':
      return rackStub(env, ref.name);
    case 'floor':
      return floorStub(env, ref.name);
    case 'warehouse':
      return env.WAREHOUSE.get(env.WAREHOUSE.idFromName(ref.name));
    default:
      return null;
  }
}
