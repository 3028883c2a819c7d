/**
 * The scope guard: one table from route prefix and method to what a personal API token needs, applied to every
 * /api route as middleware (so a new route cannot forget it). Requests with a login token (cookie or Bearer JWT)
 * have every scope and pass; so do anonymous ones (the routes decide). A path the table does not name is closed
 * to API tokens.
 *
 * - A family's reads (GET, HEAD) need `read` or the family's scope; its changes need the family's scope.
 * - A WebSocket can change things on rooms and sessions, so opening one needs the family's scope; rack, floor and
 *   ops sockets are read-only feeds and open with `read` too.
 * - Ops: reads need `read` (and the account must be an admin, as for anyone); changes need a login token.
 * - Tokens, the password, logout, logout-all, the bootstrap and role changes need a login token: an API token can
 *   never mint or revoke tokens, nor end sessions.
 */
import type { MiddlewareHandler } from 'hono';
import type { Scope } from '../../durable-objects/accounts/pat.ts';
import type { AppEnv } from '../app-types.ts';
import { ApiError } from '../lib/errors.ts';

type Family = Exclude<Scope, 'read'>;
type Rule =
  | { kind: 'open' }
  | { kind: 'login' }
  | { kind: 'any' }
  | { kind: 'family'; scope: Family; socket: 'read' | 'write' }
  | { kind: 'ops' };

/** What a request needs: nothing, a login token, or one of these scopes. */
export type Requirement = 'none' | 'login' | readonly Scope[];

const family = (scope: Family, socket: 'read' | 'write' = 'write'): Rule => ({ kind: 'family', scope, socket });

/** Route prefixes under /api, most specific first; a prefix matches itself and what lies below it. */
const TABLE: readonly (readonly [string, Rule])[] = [
  ['/auth/signup', { kind: 'open' }],
  ['/auth/login', { kind: 'open' }],
  ['/auth', { kind: 'login' }],
  ['/admin', { kind: 'login' }],
  ['/tokens', { kind: 'login' }],
  ['/me', { kind: 'any' }],
  ['/rooms', family('rooms')],
  ['/sessions', family('sessions')],
  ['/projects', family('sessions')],
  ['/tasks', family('sessions')],
  ['/racks', family('racks', 'read')],
  ['/floors', family('racks', 'read')],
  ['/rack-sessions', family('racks', 'read')],
  ['/sync', family('racks', 'read')],
  ['/warehouse', family('racks', 'read')],
  ['/ops', { kind: 'ops' }],
];

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

function ruleFor(path: string): Rule {
  const rest = path.startsWith('/api/') ? path.slice(4) : null;
  if (rest === null) return { kind: 'open' };
  for (const [prefix, rule] of TABLE) if (rest === prefix || rest.startsWith(`${prefix}/`)) return rule;
  return { kind: 'login' };
}

/** What an API token needs for `method` on `path` (`upgrade`: a WebSocket upgrade). Pure: the table above. */
export function requirement(method: string, path: string, upgrade: boolean): Requirement {
  const rule = ruleFor(path);
  const reads = READS.has(method.toUpperCase()) && !(upgrade && rule.kind === 'family' && rule.socket === 'write');
  switch (rule.kind) {
    case 'open':
      return 'none';
    case 'login':
      return 'login';
    case 'any':
      return ['read', 'rooms', 'sessions', 'racks'];
    case 'family':
      return reads ? ['read', rule.scope] : [rule.scope];
    case 'ops':
      return reads ? ['read'] : 'login';
  }
}

/** Whether a token with `scopes` meets `need`. */
export const meets = (scopes: readonly Scope[], need: Requirement): boolean =>
  need === 'none' || (need !== 'login' && need.some((s) => scopes.includes(s)));

export function scopeGuard(): MiddlewareHandler<AppEnv> {
  return async function scopeGuard(c, next) {
    const scopes = c.var.scopes;
    if (scopes) {
      const upgrade = c.req.header('Upgrade')?.toLowerCase() === 'websocket';
      const need = requirement(c.req.method, c.req.path, upgrade);
      if (need !== 'none' && !meets(scopes, need)) {
        const has = scopes.join(', ') || 'none';
        throw need === 'login'
          ? new ApiError(
              'insufficient_scope',
              'API tokens cannot do this: log in (tokens, the password and sessions are managed with a login only)',
              { required: 'login', scopes },
              403,
            )
          : new ApiError(
              'insufficient_scope',
              `This API token needs the ${need.map((s) => `"${s}"`).join(' or ')} scope here (it has: ${has})`,
              { required: need, scopes },
              403,
            );
      }
    }
    await next();
  };
}
