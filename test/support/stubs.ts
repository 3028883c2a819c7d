/** Stubs of the Durable Objects by name, as the Worker addresses them: the one stub helper of the workerd tests. */
import { env } from 'cloudflare:workers';

/** The object `name` of a namespace. */
export const stubOf = <T extends Rpc.DurableObjectBranded | undefined>(ns: DurableObjectNamespace<T>, name: string) =>
  ns.get(ns.idFromName(name));

export const roomStub = (roomId: string) => stubOf(env.TIMER_ROOM, roomId);
export const sessionStub = (userId: string) => stubOf(env.USER_SESSION, userId);
export const rackStub = (rackId: string) => stubOf(env.RACK, rackId);
export const floorStub = (floorId: string) => stubOf(env.FLOOR, floorId);
/** The one Warehouse (the layout of every floor and rack). */
export const warehouseStub = () => stubOf(env.WAREHOUSE, 'global');
