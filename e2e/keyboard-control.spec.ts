/**
 * The control panel with a keyboard only: create a room, build a show in the editor dialog, run it, send a
 * flashing message, move on, read the help. Space on a focused button or checkbox acts on that control, never
 * the timer; with nothing focused it is the start/pause shortcut.
 */
import { expect, test } from './fixtures.ts';
import { signUpViaApi } from './helpers.ts';
import { tabAndPress, tabAndType, tabTo } from './keyboard-helpers.ts';

test('build and run a show with the keyboard alone', async ({ page }) => {
  test.setTimeout(180_000);
  await signUpViaApi(page, 'Keyboard owner');
  await page.goto('/rooms/');
  await expect(page.getByTestId('rooms-empty')).toBeVisible();

  // A room, by typing its name and pressing Enter; then its control link.
  await tabAndType(page, page.getByTestId('room-name-input'), 'Keyboard show');
  await page.keyboard.press('Enter');
  const row = page.getByTestId('room-row').filter({ hasText: 'Keyboard show' });
  await expect(row).toBeVisible();
  await tabAndPress(page, row.getByTestId('room-control'));
  await expect(page.getByTestId('control-panel')).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live');

  // Two cues through the editor dialog: focus lands on the label, Enter saves, focus returns to "Add timer".
  const add = page.getByTestId('add-timer');
  for (const [label, duration] of [
    ['Opening', '5:00'],
    ['Keynote', '20:00'],
  ] as const) {
    await tabAndPress(page, add);
    const editor = page.getByTestId('timer-editor');
    await expect(editor).toBeVisible();
    await expect(page.getByTestId('editor-label')).toBeFocused();
    await page.keyboard.type(label);
    await tabAndType(page, page.getByTestId('editor-duration'), duration);
    await page.keyboard.press('Enter');
    await expect(editor).toBeHidden();
    await expect(add).toBeFocused();
    await expect(page.getByTestId('rundown-row').filter({ hasText: label })).toBeVisible();
  }

  // Escape closes the editor without saving, and the focus comes back to the button.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('timer-editor')).toBeVisible();
  await page.keyboard.type('Never saved');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('timer-editor')).toBeHidden();
  await expect(add).toBeFocused();
  await expect(page.getByTestId('rundown-row')).toHaveCount(2);

  // Start with the Start button.
  const preview = page.getByTestId('preview-display');
  await tabAndPress(page, page.getByTestId('ctl-start'));
  await expect(preview).toHaveAttribute('data-state', 'running');
  // Start is now disabled: the focus moved on to Pause instead of falling to the page.
  await expect(page.getByTestId('ctl-pause')).toBeFocused();

  // A message: type it, tick Flash with Space (the timer keeps running), send with Enter on Show.
  await tabAndType(page, page.getByTestId('msg-text'), 'Five minutes left');
  const flash = page.getByTestId('msg-flash');
  await tabTo(page, flash);
  await page.keyboard.press('Space');
  await expect(flash).toBeChecked();
  await expect(preview).toHaveAttribute('data-state', 'running');
  await tabAndPress(page, page.getByTestId('msg-send'));
  await expect(page.getByTestId('msg-current')).toContainText('Five minutes left');

  // Space on the focused Next button moves to the next cue and does not pause.
  await tabTo(page, page.getByTestId('ctl-next'));
  await page.keyboard.press('Space');
  await expect(page.getByTestId('display-label').first()).toHaveText('Keynote');

  // "?" opens the help with the focus inside; Tab stays in the dialog; Escape closes and focus returns.
  await page.keyboard.press('Shift+Slash');
  const help = page.getByTestId('help-overlay');
  await expect(help).toBeVisible();
  await expect(page.getByTestId('help-close')).toBeFocused();
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    expect(
      await help.evaluate((d) => d.contains(document.activeElement) || document.activeElement === document.body),
    ).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(page.getByTestId('ctl-next')).toBeFocused();

  // Space on the focused Pause button pauses (the button, not the shortcut, takes the key).
  await tabAndPress(page, page.getByTestId('ctl-pause'), 'Space');
  await expect(preview).toHaveAttribute('data-state', 'paused');
});
