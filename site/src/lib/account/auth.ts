/** Account calls: signup, login, logout (this device or every device), password change, me. */
import { ApiError, api } from '../net/api.ts';
import { isRec, isStr } from '../net/guards.ts';
import { markSignedIn } from '../sessions/hint.ts';
import { resolveNext } from './next-path.ts';

export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
}

const isUser = (v: unknown): v is User => isRec(v) && isStr(v.id) && isStr(v.email) && isStr(v.name) && isStr(v.role);
const hasUser = (v: unknown): v is { user: User } => isRec(v) && isUser(v.user);
const isNothing = (v: unknown): v is undefined => v === undefined;

export async function signup(email: string, password: string, name: string): Promise<User> {
  const r = await api('/api/auth/signup', hasUser, { method: 'POST', body: { email, password, name } });
  markSignedIn(true);
  return r.user;
}

export async function login(email: string, password: string): Promise<User> {
  const r = await api('/api/auth/login', hasUser, { method: 'POST', body: { email, password } });
  markSignedIn(true);
  return r.user;
}

export async function logout(): Promise<void> {
  await api('/api/auth/logout', isNothing, { method: 'POST' });
  markSignedIn(false);
}

/** Signs out every device: every token of the account is revoked (this one too). */
export async function logoutEverywhere(): Promise<void> {
  await api('/api/auth/logout-all', isNothing, { method: 'POST' });
  markSignedIn(false);
}

/** Changes the password; every other device is signed out, and this one gets a fresh cookie. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api('/api/auth/password', isNothing, { method: 'POST', body: { currentPassword, newPassword } });
}

/** The logged-in user, or null (a 401 also clears the signed-in hint). */
export async function me(): Promise<User | null> {
  try {
    return (await api('/api/me', hasUser)).user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      markSignedIn(false);
      return null;
    }
    throw e;
  }
}

/** A same-origin path to go to after login, from ?next=, or the fallback (see resolveNext). */
export function nextPath(fallback = '/rooms/'): string {
  return resolveNext(new URLSearchParams(location.search).get('next'), location.origin, fallback);
}
