/**
 * Account: one object per normalised email. The authoritative record of the
 * user, their password hash and the list of rooms they own.
 */
import { type Answer, accept, refuse } from '../../core/errors.ts';
import { KeeptimeObject } from '../platform/object.ts';
import type { ObjectRef } from '../ops/ops.ts';
import { type PasswordHash, burnVerification, hashPassword, verifyPassword } from './password.ts';
import type { SessionStatus } from './session-check.ts';
import { ApiTokenStore } from './api-tokens.ts';
import { type ApiToken, MAX_API_TOKENS, type Scope, formatPat, hashSecret, newPatParts } from './pat.ts';

export type Role = 'admin' | 'member';
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: number;
}
interface StoredAccount extends User {
  password: PasswordHash;
}
interface RoomEntry {
  id: string;
  name: string;
  createdAt: number;
}

/** A room mark meaning "deleted": a late create or rename for it is ignored. */
const REMOVED = -1;
const MAX_ROOM_MARKS = 2_000;

/** A signed-in account: the user and the token version its new token carries. */
export interface SignedIn {
  user: User;
  tokenVersion: number;
}
interface RevokedToken {
  jti: string;
  /** The token's own expiry (ms): after it, the entry is dropped. */
  exp: number;
}
/** Revoked token ids kept per account; one more revokes every token (a version bump) instead. */
const MAX_REVOKED_TOKENS = 100;

/** The object that remembers the one-time admin bootstrap (no email can name it). */
export const BOOTSTRAP_OBJECT = '#admin-bootstrap';

const emailTaken = () => refuse('email_taken', 'An account with this email already exists');
const invalidCredentials = () => refuse('invalid_credentials', 'Wrong email or password');

export class Account extends KeeptimeObject {
  private account(): StoredAccount | null {
    return this.kv.get<StoredAccount>('account');
  }

  private tokenVersion(): number {
    return this.kv.get<number>('tokenVersion') ?? 0;
  }

  async signup(input: { email: string; name: string; password: string; admin: boolean }): Promise<Answer<SignedIn>> {
    if (this.account()) return emailTaken();
    const password = await hashPassword(input.password);
    // Two signups for one email can interleave across the await above: re-check before writing.
    if (this.account()) return emailTaken();
    const stored: StoredAccount = {
      id: crypto.randomUUID(),
      email: input.email,
      name: input.name,
      role: input.admin ? 'admin' : 'member',
      createdAt: this.clock.now(),
      password,
    };
    await this.save(stored);
    return accept({ user: publicUser(stored), tokenVersion: this.tokenVersion() });
  }

  /**
   * Verifies the password. `admin` (development's ADMIN_EMAILS only) promotes; it never demotes, since roles are
   * otherwise kept on the account and changed by the bootstrap and by admins.
   */
  async login(input: { password: string; admin: boolean }): Promise<Answer<SignedIn>> {
    const stored = this.account();
    if (!stored) {
      await burnVerification(input.password);
      return invalidCredentials();
    }
    if (!(await verifyPassword(input.password, stored.password))) return invalidCredentials();
    const current = this.account() ?? stored;
    if (input.admin && current.role !== 'admin') await this.save({ ...current, role: 'admin' });
    return accept({ user: publicUser(this.account() ?? current), tokenVersion: this.tokenVersion() });
  }

  // ── Sessions and revocation ────────────────────────────────────────────
  /** What a token is checked against: the current role, the token version and the revoked token ids. */
  async sessionStatus(): Promise<SessionStatus | null> {
    const stored = this.account();
    if (!stored) return null;
    const now = this.clock.now();
    return {
      userId: stored.id,
      email: stored.email,
      name: stored.name,
      role: stored.role,
      tokenVersion: this.tokenVersion(),
      revoked: this.revoked(now).map((r) => r.jti),
      apiTokens: this.apiTokens().liveIds(),
    };
  }

  private revoked(now: number): RevokedToken[] {
    return (this.kv.get<RevokedToken[]>('revoked') ?? []).filter((r) => r.exp > now);
  }

  /**
   * Revokes one token (logout). A token without an id, or one past the bounded set, revokes them all instead (a
   * version bump): safe, at the cost of signing out the other devices.
   */
  async revokeToken(jti: string, expMs: number): Promise<void> {
    const now = this.clock.now();
    const kept = this.revoked(now).filter((r) => r.jti !== jti);
    if (!jti || kept.length >= MAX_REVOKED_TOKENS) {
      await this.revokeAll();
      return;
    }
    await this.commit(() => this.kv.put('revoked', [...kept, { jti, exp: expMs }]));
  }

  /** Revokes every token issued so far (logout-all); returns the version new tokens carry. */
  async revokeAll(): Promise<number> {
    const next = this.tokenVersion() + 1;
    await this.commit(() => {
      this.kv.put('tokenVersion', next);
      this.kv.put('revoked', []);
    });
    return next;
  }

  // ── Personal API tokens (pat.ts, api-tokens.ts) ──────────────────────
  private apiTokens(): ApiTokenStore {
    return new ApiTokenStore(this.ctx.storage.sql);
  }

  async listApiTokens(): Promise<ApiToken[]> {
    return this.account() ? this.apiTokens().list() : [];
  }

  /** Creates a token; the secret is in the answer only (the account keeps its SHA-256). */
  async createApiToken(input: { name: string; scopes: Scope[] }): Promise<Answer<{ token: ApiToken; secret: string }>> {
    if (!this.account()) return refuse('not_found', 'No such account');
    const { id, secret } = newPatParts();
    const hash = await hashSecret(secret);
    const store = this.apiTokens();
    // Counted after the await: two creations cannot both take the last place.
    if (store.count() >= MAX_API_TOKENS)
      return refuse('quota_exceeded', `At most ${MAX_API_TOKENS} API tokens per account; revoke one first`, {
        limit: MAX_API_TOKENS,
      });
    const token: ApiToken = {
      id,
      name: input.name,
      scopes: input.scopes,
      createdAt: this.clock.now(),
      lastUsedAt: null,
    };
    await this.commit(() => store.insert({ ...token, hash }));
    return accept({ token, secret: formatPat({ account: this.ctx.id.toString(), id, secret }) });
  }

  /** Revokes a token at once (idempotent); not_found for an id this account never had. */
  async revokeApiToken(id: string): Promise<Answer<null>> {
    const store = this.apiTokens();
    if (!store.has(id)) return refuse('not_found', 'No such API token');
    await this.commit(() => store.revoke(id));
    return accept(null);
  }

  /**
   * Checks a presented token (`hash` is the SHA-256 of its secret): the account's email and the token's scopes when
   * it is live and the hash matches, else null. Records lastUsedAt, at most once a minute per token.
   */
  async useApiToken(id: string, hash: string): Promise<{ email: string; scopes: Scope[] } | null> {
    const stored = this.account();
    if (!stored) return null;
    const now = this.clock.now();
    const store = this.apiTokens();
    const hit = store.match(id, hash, now);
    if (!hit) return null;
    if (hit.touch) await this.commit(() => store.markUsed(id, now));
    return { email: stored.email, scopes: hit.token.scopes };
  }

  /** Changes the password and revokes every token; the caller is issued a fresh one with the returned version. */
  async changePassword(input: { currentPassword: string; newPassword: string }): Promise<Answer<SignedIn>> {
    const stored = this.account();
    if (!stored) return refuse('not_found', 'No such account');
    if (!(await verifyPassword(input.currentPassword, stored.password)))
      return refuse('invalid_credentials', 'The current password is wrong');
    const password = await hashPassword(input.newPassword);
    const now = this.clock.now();
    const next = this.tokenVersion() + 1;
    const current = this.account() ?? stored;
    await this.commit(() => {
      this.kv.put('account', { ...current, password });
      this.kv.put('tokenVersion', next);
      this.kv.put('revoked', []);
      this.appendOutbox('account.upsert', { user: publicUser(current), at: now }, now);
    });
    return accept({ user: publicUser(current), tokenVersion: next });
  }

  /** Sets the role (bootstrap, or an admin's promotion or demotion); it applies to every token at once. */
  async setRole(role: Role): Promise<Answer<User>> {
    const stored = this.account();
    if (!stored) return refuse('not_found', 'No such account');
    if (stored.role !== role) await this.save({ ...stored, role });
    return accept(publicUser({ ...stored, role }));
  }

  /**
   * On the BOOTSTRAP_OBJECT only: records that the bootstrap secret was used, by `userId`. True the first time,
   * false ever after.
   */
  async claimBootstrap(userId: string): Promise<boolean> {
    if (this.kv.get<string>('bootstrappedBy')) return false;
    await this.commit(() => this.kv.put('bootstrappedBy', userId));
    return true;
  }

  /** Saves the account and its mirror event together, then schedules the drain. */
  private async save(stored: StoredAccount): Promise<void> {
    const now = this.clock.now();
    await this.commit(() => {
      this.kv.put('account', stored);
      this.appendOutbox('account.upsert', { user: publicUser(stored), at: now }, now);
    });
  }

  protected override mirrorRef(): ObjectRef | null {
    const a = this.account();
    return a ? { kind: 'account', name: a.email } : null;
  }

  async profile(): Promise<Answer<User>> {
    const stored = this.account();
    return stored ? accept(publicUser(stored)) : refuse('not_found', 'No such account');
  }

  // ── Owned rooms ────────────────────────────────────────────────────────
  async rooms(): Promise<RoomEntry[]> {
    return this.kv.get<RoomEntry[]>('rooms') ?? [];
  }

  /**
   * Adds a room once. The route and the room's outbox both deliver a create, and the outbox may deliver it after a
   * rename or a delete the route already applied: a known room keeps its name, a removed one stays removed.
   */
  async addRoom(entry: RoomEntry): Promise<void> {
    const rooms = await this.rooms();
    if (rooms.some((r) => r.id === entry.id) || this.roomMarks()[entry.id] === REMOVED) return;
    this.kv.put('rooms', [...rooms, entry]);
  }

  /** Renames a room unless a newer name (by the room's version) is already listed: deliveries may arrive late. */
  async renameRoom(id: string, name: string, version: number): Promise<void> {
    const marks = this.roomMarks();
    const seen = marks[id];
    if (seen === REMOVED || (seen !== undefined && seen >= version)) return;
    this.kv.put(
      'rooms',
      (await this.rooms()).map((r) => (r.id === id ? { ...r, name } : r)),
    );
    this.putRoomMarks({ ...marks, [id]: version });
  }

  async removeRoom(id: string): Promise<void> {
    this.kv.put(
      'rooms',
      (await this.rooms()).filter((r) => r.id !== id),
    );
    this.putRoomMarks({ ...this.roomMarks(), [id]: REMOVED });
  }

  /** Per room: the version of the listed name, or REMOVED. Bounded: the oldest marks are forgotten first. */
  private roomMarks(): Record<string, number> {
    return this.kv.get<Record<string, number>>('roomMarks') ?? {};
  }

  private putRoomMarks(marks: Record<string, number>): void {
    const ids = Object.keys(marks);
    const kept = ids.length > MAX_ROOM_MARKS ? ids.slice(ids.length - MAX_ROOM_MARKS) : ids;
    this.kv.put('roomMarks', Object.fromEntries(kept.map((id) => [id, marks[id] as number])));
  }
}

function publicUser(a: StoredAccount): User {
  return { id: a.id, email: a.email, name: a.name, role: a.role, createdAt: a.createdAt };
}
