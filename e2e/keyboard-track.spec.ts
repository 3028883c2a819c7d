/**
 * Track with a keyboard only: start with a label, pause, resume, stop, then edit the entry in its dialog. The
 * single-key S can be turned off on Account (WCAG 2.1.4), and Space on a focused control acts on that control.
 */
import { expect, test } from './fixtures.ts';
import { signUpViaApi } from './helpers.ts';
import { tabAndPress, tabAndType, tabTo } from './keyboard-helpers.ts';
import { currentSession, openTrack, sessionCommand } from './track-helpers.ts';

test('start, pause, resume, stop and edit an entry with the keyboard alone', async ({ page }) => {
  test.setTimeout(180_000);
  await signUpViaApi(page, 'Keyboard tracker');
  await openTrack(page);
  const live = page.getByTestId('session-controls');
  await expect(live).toHaveAttribute('data-status', 'idle');

  // Type a label and press Enter: the session starts.
  await tabAndType(page, page.getByTestId('label-input'), 'Writing the brief');
  await page.keyboard.press('Enter');
  await expect(live).toHaveAttribute('data-status', 'running');

  // Pause and resume with the buttons (Space on a focused button presses that button).
  await tabAndPress(page, page.getByTestId('session-pause'), 'Space');
  await expect(live).toHaveAttribute('data-status', 'paused');
  await tabAndPress(page, page.getByTestId('session-resume'), 'Enter');
  await expect(live).toHaveAttribute('data-status', 'running');
  await tabAndPress(page, page.getByTestId('session-stop'), 'Enter');
  await expect(live).toHaveAttribute('data-status', 'idle');

  // Edit the entry: the dialog takes the focus, Escape cancels, Save keeps a new label.
  const row = page.getByTestId('session-row').filter({ hasText: 'Writing the brief' });
  await expect(row).toHaveCount(1);
  const edit = row.getByTestId('row-edit');
  await tabAndPress(page, edit);
  const editor = page.getByTestId('entry-editor');
  await expect(editor).toBeVisible();
  expect(await editor.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(editor).toHaveCount(0);
  await expect(edit).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(editor).toBeVisible();
  await tabAndType(page, page.getByTestId('editor-label'), 'Writing the brief, first draft');
  await tabAndPress(page, page.getByTestId('editor-save'));
  await expect(editor).toHaveCount(0);
  await expect(page.getByTestId('session-row').filter({ hasText: 'Writing the brief, first draft' })).toHaveCount(1);
});

test('the single-key S can be turned off on Account, and Space on a focused checkbox ticks it', async ({ page }) => {
  test.setTimeout(180_000);
  await signUpViaApi(page, 'Quiet keys');

  // Account › Keyboard: untick "Single-key shortcuts" with Space.
  await page.goto('/account/');
  const single = page.getByTestId('single-key-shortcuts');
  await expect(single).toBeChecked();
  await tabTo(page, single);
  await page.keyboard.press('Space');
  await expect(single).not.toBeChecked();

  // On Track, S does nothing now; Space (nothing focused) still pauses.
  await sessionCommand(page, 'start', 'Reading');
  await openTrack(page);
  const live = page.getByTestId('session-controls');
  await expect(live).toHaveAttribute('data-status', 'running');
  await page.keyboard.press('s');
  await page.keyboard.press('Space');
  await expect(live).toHaveAttribute('data-status', 'paused');
  expect((await currentSession(page)).status).toBe('paused');

  // Space on a focused checkbox ticks it and leaves the session alone.
  await page.keyboard.press('Space');
  await expect(live).toHaveAttribute('data-status', 'running');
  await sessionCommand(page, 'stop');
  await expect(live).toHaveAttribute('data-status', 'idle');
  const focus = page.getByTestId('start-focus');
  const was = await focus.isChecked();
  await tabTo(page, focus);
  await page.keyboard.press('Space');
  await expect(focus).toBeChecked({ checked: !was });
  await expect(live).toHaveAttribute('data-status', 'idle');

  // Turned back on, S stops a running session.
  await page.goto('/account/');
  await tabTo(page, single);
  await page.keyboard.press('Space');
  await expect(single).toBeChecked();
  await sessionCommand(page, 'start', 'Reading again');
  await openTrack(page);
  await expect(live).toHaveAttribute('data-status', 'running');
  await page.keyboard.press('s');
  await expect(live).toHaveAttribute('data-status', 'idle');
});
