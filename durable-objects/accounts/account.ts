/**
 * Account: one object per normalised email. The authoritative record of the
 * user, their password hash and the list of rooms they own.
 */
import { KeeptimeObject } from '../platform/object.ts';
import type { ObjectRef } from '../ops/ops.ts';
import { type PasswordHash, burnVerification, hashPassword, verifyPassword } from './password.ts';

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
export interface RoomEntry {
  id: string;
  name: string;
  createdAt: number;
}

export type AccountAnswer =
  | { ok: true; user: User }
  | { ok: false; code: 'email_taken' | 'invalid_credentials' | 'not_found' };

export class Account extends KeeptimeObject {
  private account(): StoredAccount | null {
    return this.kv.get<StoredAccount>('account');
  }

  async signup(input: { email: string; name: string; password: string; admin: boolean }): Promise<AccountAnswer> {
    if (this.account()) return { ok: false, code: 'email_taken' };
    const password = await hashPassword(input.password);
    // Two signups for one email can interleave across the await above: re-check before writing.
    if (this.account()) return { ok: false, code: 'email_taken' };
    const stored: StoredAccount = {
      id: crypto.randomUUID(),
      email: input.email,
      name: input.name,
      role: input.admin ? 'admin' : 'member',
      createdAt: this.clock.now(),
      password,
    };
    await this.save(stored);
    return { ok: true, user: publicUser(stored) };
  }

  /** Verifies the password; the role follows ADMIN_EMAILS at each login. */
  async login(input: { password: string; admin: boolean }): Promise<AccountAnswer> {
    const stored = this.account();
    if (!stored) {
      await burnVerification(input.password);
      return { ok: false, code: 'invalid_credentials' };
    }
    if (!(await verifyPassword(input.password, stored.password))) return { ok: false, code: 'invalid_credentials' };
    const role: Role = input.admin ? 'admin' : 'member';
    if (role !== stored.role) await this.save({ ...stored, role });
    return { ok: true, user: publicUser({ ...stored, role }) };
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

  async profile(): Promise<AccountAnswer> {
    const stored = this.account();
    return stored ? { ok: true, user: publicUser(stored) } : { ok: false, code: 'not_found' };
  }

  // ── Owned rooms ────────────────────────────────────────────────────────
  async rooms(): Promise<RoomEntry[]> {
    return this.kv.get<RoomEntry[]>('rooms') ?? [];
  }

  async addRoom(entry: RoomEntry): Promise<void> {
    const rooms = (await this.rooms()).filter((r) => r.id !== entry.id);
    this.kv.put('rooms', [...rooms, entry]);
  }

  async renameRoom(id: string, name: string): Promise<void> {
    this.kv.put(
      'rooms',
      (await this.rooms()).map((r) => (r.id === id ? { ...r, name } : r)),
    );
  }

  async removeRoom(id: string): Promise<void> {
    this.kv.put(
      'rooms',
      (await this.rooms()).filter((r) => r.id !== id),
    );
  }
}

function publicUser(a: StoredAccount): User {
  return { id: a.id, email: a.email, name: a.name, role: a.role, createdAt: a.createdAt };
}
