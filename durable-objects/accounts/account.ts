/**
 * Account: one object per normalised email. The authoritative record of the
 * user, their password hash and the list of rooms they own.
 */
import { type Answer, accept, refuse } from '../../core/errors.ts';
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

const emailTaken = () => refuse('email_taken', 'An account with this email already exists');
const invalidCredentials = () => refuse('invalid_credentials', 'Wrong email or password');

export class Account extends KeeptimeObject {
  private account(): StoredAccount | null {
    return this.kv.get<StoredAccount>('account');
  }

  async signup(input: { email: string; name: string; password: string; admin: boolean }): Promise<Answer<User>> {
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
    return accept(publicUser(stored));
  }

  /** Verifies the password; the role follows ADMIN_EMAILS at each login. */
  async login(input: { password: string; admin: boolean }): Promise<Answer<User>> {
    const stored = this.account();
    if (!stored) {
      await burnVerification(input.password);
      return invalidCredentials();
    }
    if (!(await verifyPassword(input.password, stored.password))) return invalidCredentials();
    const role: Role = input.admin ? 'admin' : 'member';
    if (role !== stored.role) await this.save({ ...stored, role });
    return accept(publicUser({ ...stored, role }));
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

  /** Adds a room, or refreshes it in place: the route and the room's outbox both deliver a create. */
  async addRoom(entry: RoomEntry): Promise<void> {
    const rooms = await this.rooms();
    const known = rooms.some((r) => r.id === entry.id);
    this.kv.put('rooms', known ? rooms.map((r) => (r.id === entry.id ? entry : r)) : [...rooms, entry]);
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
