/** Personal API tokens: list, create (the secret comes back once), revoke; and how their dates read. */
import { api } from '../net/api.ts';
import { arrayOf, isNum, isNumOrNull, isRec, isStr, oneOf } from '../net/guards.ts';

export const SCOPES = ['read', 'rooms', 'sessions', 'racks'] as const;
export type Scope = (typeof SCOPES)[number];

/** What each scope opens, in the words the page shows. */
export const SCOPE_HELP: Record<Scope, string> = {
  read: 'Read everything the account can see (rooms, sessions, racks; Operations for admins)',
  rooms: 'Control rooms: create, edit, start and stop timers, messages',
  sessions: 'Control live sessions: start, pause, resume, stop',
  racks: 'Racks: claim, heartbeat, sync scans; warehouse layout for admins',
};

export const TOKEN_NAME_MAX = 80;

export interface ApiToken {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: number;
  lastUsedAt: number | null;
}

const isScope = oneOf(...SCOPES);
const isToken = (v: unknown): v is ApiToken =>
  isRec(v) &&
  isStr(v.id) &&
  isStr(v.name) &&
  arrayOf(isScope)(v.scopes) &&
  isNum(v.createdAt) &&
  isNumOrNull(v.lastUsedAt);
const isList = (v: unknown): v is { tokens: ApiToken[]; limit: number } =>
  isRec(v) && arrayOf(isToken)(v.tokens) && isNum(v.limit);
const isCreated = (v: unknown): v is { token: ApiToken; secret: string } =>
  isRec(v) && isToken(v.token) && isStr(v.secret) && v.secret.startsWith('kt_');
const isNothing = (v: unknown): v is undefined => v === undefined;

export const listTokens = () => api('/api/tokens', isList);

export const createToken = (name: string, scopes: Scope[]) =>
  api('/api/tokens', isCreated, { method: 'POST', body: { name, scopes } });

export const revokeToken = (id: string) =>
  api(`/api/tokens/${encodeURIComponent(id)}`, isNothing, { method: 'DELETE' });

/** An instant in the reader's locale and time zone ("6 Dec 2026, 14:05"). */
export function formatInstant(ms: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/** "just now", "3 minutes ago", "yesterday"… in the reader's locale. */
export function formatAgo(ms: number, now: number, locale?: string): string {
  const s = Math.round((ms - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (Math.abs(s) < 45) return rtf.format(0, 'second');
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['minute', 60],
    ['hour', 3600],
    ['day', 86_400],
    ['month', 2_592_000],
    ['year', 31_536_000],
  ];
  let chosen: [Intl.RelativeTimeFormatUnit, number] = ['minute', 60];
  for (const u of units) if (Math.abs(s) >= u[1]) chosen = u;
  return rtf.format(Math.round(s / chosen[1]), chosen[0]);
}
