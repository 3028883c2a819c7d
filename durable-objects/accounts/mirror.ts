/** What an account change sends to the mirrors: the user row (an upsert that never rolls back a later change). */
import { sql } from 'drizzle-orm';
import { usersTable } from '../../drizzle/schema.ts';
import { type Tx, checked } from '../platform/mirrors/rows.ts';

/** The payload of an 'account.upsert' outbox event. */
export interface AccountMirrorPayload {
  user: { id: string; email: string; name: string; role: 'admin' | 'member'; createdAt: number };
  at: number;
}

export async function writeAccount(tx: Tx, p: AccountMirrorPayload) {
  const values = {
    id: p.user.id,
    email: p.user.email,
    name: p.user.name,
    role: p.user.role,
    createdAt: new Date(p.user.createdAt),
    updatedAt: new Date(p.at),
  };
  await tx
    .insert(usersTable)
    .values(checked('users', values))
    .onConflictDoUpdate({
      target: usersTable.id,
      set: { name: values.name, role: values.role, updatedAt: values.updatedAt },
      setWhere: sql`${usersTable.updatedAt} <= excluded.updated_at`,
    });
}
