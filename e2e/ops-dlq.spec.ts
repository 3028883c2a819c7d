/**
 * A real dead letter, end to end: a Postgres trigger rejects one room's
 * journal rows with SQLSTATE 22023 (permanent), so that room's command
 * dead-letters; the admin watches it arrive on Operations, the trigger is
 * dropped (the fix), and Replay writes the row exactly once.
 */
import type { Db } from '../drizzle/db.ts';
import { openTestDb, query } from './db.ts';
import { expect, test } from './fixtures.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, addTimer, logInViaUi } from './helpers.ts';

const ADMIN = DEMO_ACCOUNTS[0].email;
const MEMBER = DEMO_ACCOUNTS[1].email;

const poison = (roomId: string) => `
  create or replace function kt_poison() returns trigger language plpgsql as $$
  begin
    if new.room_id = '${roomId}' then raise exception 'poisoned for test' using errcode = '22023'; end if;
    return new;
  end $$;
  create trigger kt_poison before insert on room_actions for each row execute function kt_poison();`;
const CURE = 'drop trigger if exists kt_poison on room_actions; drop function if exists kt_poison();';

const actionsOf = (db: Db, roomId: string) =>
  query<{ id: string; command: string }>(db, 'select id, command from room_actions where room_id = $1 order by at', [
    roomId,
  ]);

test('a command Postgres refuses dead-letters live on Operations, and Replay after the fix writes it once', async ({
  page,
  openPage,
}, testInfo) => {
  test.setTimeout(120_000);
  const db = openTestDb(testInfo);
  try {
    // The admin watches Operations.
    await logInViaUi(page, ADMIN, DEMO_PASSWORD, '/ops/');
    await expect(page.getByTestId('feed-panel').getByTestId('connection')).toHaveAttribute('data-status', 'live');
    await expect(page.getByTestId('ops-updated')).toContainText('Updated');

    // A member creates a room: room.created mirrors as usual.
    const member = await openPage();
    await logInViaUi(member, MEMBER, DEMO_PASSWORD, '/rooms/');
    const name = `Poisoned ${Date.now().toString(36)}`;
    await member.getByTestId('room-name-input').fill(name);
    await member.getByTestId('room-create').click();
    const row = member.getByTestId('room-row').filter({ hasText: name });
    await row.getByTestId('room-control').click();
    await expect(member.getByTestId('control-panel')).toBeVisible();
    const roomId = new URL(member.url()).searchParams.get('room') ?? '';
    expect(roomId).toMatch(/^[0-9a-f]{20}$/);
    await expect
      .poll(async () => (await query(db, 'select id from rooms where id = $1', [roomId])).length, { timeout: 10_000 })
      .toBe(1);

    // Postgres now refuses this room's journal rows, and only this room's.
    await db.$client.query(poison(roomId));
    await addTimer(member, 'Doomed intro', '5:00');

    // The command's row dead-letters (22023 is permanent: no retries), and the admin sees it arrive.
    const letter = page.getByTestId('dlq-row').filter({ hasText: roomId });
    await expect(letter).toHaveCount(1, { timeout: 15_000 });
    await expect(letter.getByTestId('dlq-kind')).toHaveText('room.command');
    await expect(letter.getByTestId('dlq-error')).toContainText('22023');
    await expect(letter.getByTestId('dlq-error')).toContainText('poisoned for test');
    const feedItem = page
      .getByTestId('feed-item')
      .and(page.locator('[data-kind="dead-letter"]'))
      .filter({ hasText: roomId });
    await expect(feedItem).toHaveCount(1);
    await expect(feedItem).toContainText(`room.command from room ${roomId}`);
    expect(await actionsOf(db, roomId)).toEqual([]);
    await page.screenshot({ path: 'test-results/ops-dlq-real.png', fullPage: true });

    // The fix, then Replay: the letter leaves the list and the row lands exactly once.
    await db.$client.query(CURE);
    await letter.getByTestId('dlq-replay').click();
    await expect(letter).toHaveCount(0);
    await expect(page.getByTestId('toast')).toContainText(`Replayed room.command from room ${roomId}`);
    await expect
      .poll(async () => (await actionsOf(db, roomId)).map((a) => a.command), { timeout: 10_000 })
      .toEqual(['create-timer']);
    // A later poll of the list does not bring it back, and nothing is written twice.
    await page.waitForTimeout(5_500);
    await expect(letter).toHaveCount(0);
    expect(await actionsOf(db, roomId)).toHaveLength(1);
  } finally {
    await db.$client.query(CURE).catch(() => undefined);
    await db.$client.end().catch(() => undefined);
  }
});
