/**
 * Typed calls to a user's entry operations (UserSession.entryRead/entryWrite
 * take an operation name; the RPC stub types lose the per-operation answer,
 * so it is restored here, in one place).
 */
import type { Reads, ReadAnswer, Writes, WriteAnswer } from '../../durable-objects/sessions/entry-rpc.ts';
import { sessionStub } from '../../durable-objects/platform/stubs.ts';
import type { Env } from '../../durable-objects/platform/env.ts';

export async function readEntries<K extends keyof Reads>(
  env: Env,
  userId: string,
  op: K,
  input: Reads[K]['in'],
): Promise<ReadAnswer<K>> {
  return (await sessionStub(env, userId).entryRead(userId, op, input)) as unknown as ReadAnswer<K>;
}

export async function writeEntries<K extends keyof Writes>(
  env: Env,
  userId: string,
  op: K,
  input: Writes[K]['in'],
): Promise<WriteAnswer<K>> {
  return (await sessionStub(env, userId).entryWrite(userId, op, input)) as unknown as WriteAnswer<K>;
}
