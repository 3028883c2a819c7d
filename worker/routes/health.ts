/** Liveness. */
import { Hono } from 'hono';
import type { AppEnv } from '../app-types.ts';

export const healthRoutes = new Hono<AppEnv>().get('/health', (c) => c.json({ status: 'ok', timestamp: Date.now() }));
