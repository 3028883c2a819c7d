/** Whose sessions, entries and projects a caller may read: their own; admins, anyone's. */
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-types.ts';
import { requireUser } from '../middleware/auth.ts';
import { ApiError } from './errors.ts';

export const userIdParam = z.string().min(1).max(64);
/** Session tokens may come as ?token= (for simple clients); the auth middleware reads them. */
export const tokenParam = z.string().max(4096).optional();

export function readableUser(c: Context<AppEnv>, requested: string | undefined): string {
  const user = requireUser(c);
  if (requested === undefined || requested === user.id) return user.id;
  if (user.role !== 'admin') throw new ApiError('forbidden', 'You can only read your own sessions and projects');
  return requested;
}
