import { describe, expect, it } from 'vitest';
import { adminSession, call, signup, sleep } from '../../support/workers.ts';
import { does, sessionStub, setSessionLimit, alarmAfter } from '../../support/sessions.ts';

/** The Ops feed entry for `userId`'s stop, once the outbox has drained (the feed keeps the newest 50). */
async function completedNote(userId: string): Promise<any> {
  const admin = await adminSession();
  for (let i = 0; i < 60; i++) {
    const feed = await call('/api/ops/notifications', { auth: admin.token });
    const note = feed.body.notifications.find(
      (n: { kind: string; data?: { userId?: string } }) => n.kind === 'session-completed' && n.data?.userId === userId,
    );
    if (note) return note;
    await sleep(50);
  }
  return undefined;
}

describe('mirrors', () => {
  it('a stop reaches the Ops feed as session-completed once the outbox drains', async () => {
    const user = await signup();
    await does(user, 'start', { label: 'Feed me' });
    await does(user, 'stop');
    const note = await completedNote(user.user.id);
    expect(note).toMatchObject({
      text: expect.stringMatching(/^Session “Feed me” completed: (<1|\d+) s active$/),
      data: { autoStopped: false },
    });
    expect(await sessionStub(user.user.id).inspect()).toMatchObject({ pending: 0 });
  });

  it('an auto-stop is announced as reaching the time limit', async () => {
    const user = await signup();
    await setSessionLimit(user.user.id, 200);
    const started = await does(user, 'start');
    await alarmAfter(user.user.id, started.startTime + 200);
    expect(await completedNote(user.user.id)).toMatchObject({
      text: 'A session reached its time limit after <1 s: <1 s active',
      data: { autoStopped: true, elapsedMs: 200 },
    });
  });
});
