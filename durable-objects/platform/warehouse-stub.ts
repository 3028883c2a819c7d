/** The one Warehouse object (the layout's owner). */
import type { Env } from './env.ts';

export const warehouseStub = (env: Env) => env.WAREHOUSE.get(env.WAREHOUSE.idFromName('global'));
