/** The shape of a catalogue route, and what several capabilities' routes share (see ../routes.ts). */
import { z } from 'zod';

/**
 * Who the route admits. `room-*` kinds accept the owner's account or a share
 * token: read = any token, control = the controller token, history = owner or
 * controller, owner = the account only.
 */
export type AuthKind = 'public' | 'user' | 'admin' | 'room-read' | 'room-control' | 'room-history' | 'room-owner';

export interface RouteSpec {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  auth: AuthKind;
  /** The JSON body the route reads (absent: the route reads no body). */
  body?: z.ZodType;
  /** The query parameters the route reads, for generation (values are sent as strings). */
  query?: z.ZodType;
  /** Opened as a WebSocket (GET with Upgrade). */
  ws?: boolean;
  /** Whether an accepted call may change state. */
  writes: boolean;
  /**
   * An accepted call ends the caller's sessions (logout, logout-all, password change): the fuzzer never sends it with
   * the world's own tokens, and the authorisation matrix gives each admitted caller fresh accounts.
   */
  revokes?: boolean;
  /** The route's own body limit in bytes, when it is not LIMITS.httpBody (the rundown import takes 256 KiB). */
  bodyLimit?: number;
}

export const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const userId = z.string().min(1).max(64);

export const wsQuery = z.strictObject({ ticks: z.enum(['0', '1']).optional(), device: z.string().max(80).optional() });

const webhookCreateBody = z.strictObject({
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean().optional(),
});

const webhookUpdateBody = z.strictObject({
  url: z.string().optional(),
  events: z.array(z.string()).optional(),
  enabled: z.boolean().optional(),
});

/** The eight webhook routes under `base` (:webhook and :delivery name none: 404 once admitted). */
export function webhookRoutes(scope: string, base: string, auth: AuthKind): RouteSpec[] {
  const W = `${base}/webhooks/:webhook`;
  return [
    { name: `${scope} webhooks`, method: 'GET', path: `${base}/webhooks`, auth, writes: false },
    {
      name: `${scope} webhook create`,
      method: 'POST',
      path: `${base}/webhooks`,
      auth,
      body: webhookCreateBody,
      writes: true,
    },
    { name: `${scope} webhook update`, method: 'PUT', path: W, auth, body: webhookUpdateBody, writes: true },
    { name: `${scope} webhook delete`, method: 'DELETE', path: W, auth, writes: true },
    { name: `${scope} webhook rotate`, method: 'POST', path: `${W}/rotate`, auth, writes: true },
    { name: `${scope} webhook deliveries`, method: 'GET', path: `${W}/deliveries`, auth, writes: false },
    {
      name: `${scope} webhook redeliver`,
      method: 'POST',
      path: `${W}/deliveries/:delivery/redeliver`,
      auth,
      writes: true,
    },
    { name: `${scope} webhook test`, method: 'POST', path: `${W}/test`, auth, writes: true },
  ];
}
