/** The control panel: keyboard shortcuts, link rotation, messages, reordering. */
import { expect, test } from './fixtures.ts';
import { addTimer, createRoomViaApi, openControl, signUpViaApi, viewerLink } from './helpers.ts';

test.beforeEach(async ({ page }) => {
  await signUpViaApi(page);
});

test('space starts and pauses the active timer; arrows and +/- work; typing is ignored', async ({ page }) => {
  const room = await createRoomViaApi(page, 'Shortcuts');
  await openControl(page, room.id);
  await addTimer(page, 'First', '5:00');
  await addTimer(page, 'Second', '2:00');
  const preview = page.getByTestId('preview-display');
  const digits = page.getByTestId('preview').getByTestId('display-digits');

  // With a button focused, Space presses that button (here Next), never the timer.
  await page.getByTestId('ctl-next').focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('display-label').first()).toHaveText('Second');
  await expect(preview).toHaveAttribute('data-state', 'idle');
  await page.getByTestId('ctl-prev').focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('display-label').first()).toHaveText('First');
  // With nothing focused, Space is the shortcut.
  await page.getByTestId('ctl-prev').blur();
  await page.keyboard.press('Space');
  await expect(preview).toHaveAttribute('data-state', 'running');
  await page.keyboard.press('Space');
  await expect(preview).toHaveAttribute('data-state', 'paused');
  await page.keyboard.press('Space');
  await expect(preview).toHaveAttribute('data-state', 'running');
  await page.keyboard.press('Space');
  await expect(preview).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('display-label').first()).toHaveText('First');

  // + adds a minute, Shift+- removes ten seconds (paused, so the reading is exact).
  const before = await digits.textContent();
  await page.keyboard.press('+');
  await expect(digits).not.toHaveText(before ?? '');
  const seconds = (t: string | null) => {
    const [m, s] = (t ?? '').split(':').map(Number);
    return (m ?? 0) * 60 + (s ?? 0);
  };
  expect(seconds(await digits.textContent()) - seconds(before)).toBe(60);
  const plusMinute = await digits.textContent();
  await page.keyboard.press('Shift+Minus');
  await expect(digits).not.toHaveText(plusMinute ?? '');
  expect(seconds(await digits.textContent()) - seconds(plusMinute)).toBe(-10);

  // Arrows move between timers.
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('display-label').first()).toHaveText('Second');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('display-label').first()).toHaveText('First');

  // Typing a message, Space is a space and arrows move the caret.
  await page.getByTestId('msg-text').click();
  await page.keyboard.type('Five minutes left');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('msg-text')).toHaveValue('Five minutes left');
  await expect(preview).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('display-label').first()).toHaveText('First');

  // ? opens the help dialog with the focus inside; Escape closes it and the focus comes back.
  await page.getByTestId('brand').focus();
  await page.keyboard.press('Shift+Slash');
  const help = page.getByTestId('help-overlay');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Start or pause the active timer');
  await expect(page.getByTestId('help-close')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(page.getByTestId('brand')).toBeFocused();
  // The help button opens it too; "?" again closes it.
  await page.getByTestId('help-open').focus();
  await page.keyboard.press('Enter');
  await expect(help).toBeVisible();
  await page.keyboard.press('Shift+Slash');
  await expect(help).toBeHidden();
  await expect(page.getByTestId('help-open')).toBeFocused();
});

test('rotating the viewer link cuts the old viewer off with a clear message', async ({ page, openPage }) => {
  const room = await createRoomViaApi(page, 'Rotation');
  await openControl(page, room.id);
  await addTimer(page, 'Talk', '10:00');
  const oldLink = await viewerLink(page);

  const viewer = await openPage();
  await viewer.goto(oldLink);
  await expect(viewer.getByTestId('display-label')).toHaveText('Talk');

  const rotate = page.getByTestId('share-viewer-rotate');
  await rotate.click();
  await expect(rotate).toHaveAttribute('data-confirm', 'true');
  await rotate.click();
  await expect(page.getByTestId('share-viewer-url')).not.toHaveValue(oldLink);

  await expect(viewer.getByTestId('error-state')).toHaveAttribute('data-kind', 'rotated');
  await expect(viewer.getByTestId('error-state')).toContainText('This link was rotated');

  // The new link works.
  const fresh = await openPage();
  await fresh.goto(await viewerLink(page));
  await expect(fresh.getByTestId('display-label')).toHaveText('Talk');
});

test('a message with blackout replaces the viewer’s timer, and clearing brings it back', async ({ page, openPage }) => {
  const room = await createRoomViaApi(page, 'Messages');
  await openControl(page, room.id);
  await addTimer(page, 'Panel', '30:00');
  const viewer = await openPage({ viewport: { width: 1280, height: 720 } });
  await viewer.goto(await viewerLink(page));
  await expect(viewer.getByTestId('display-digits')).toHaveText('30:00');

  // A plain flashing message shows under the digits.
  await page.getByTestId('msg-text').fill('Please wrap up');
  await page.getByTestId('msg-flash').check();
  await page.getByTestId('msg-send').click();
  await expect(viewer.getByTestId('display-message')).toHaveText('Please wrap up');
  await expect(viewer.getByTestId('display-message')).toHaveClass(/is-flashing/);
  await expect(viewer.getByTestId('display-digits')).toBeVisible();

  // Blackout: only the message, on black.
  await page.getByTestId('msg-text').fill('We are back in 5 minutes');
  await page.getByTestId('msg-flash').uncheck();
  await page.getByTestId('msg-blackout').check();
  await page.getByTestId('msg-send').click();
  const blackout = viewer.getByTestId('display-blackout');
  await expect(blackout).toBeVisible();
  await expect(blackout).toHaveText('We are back in 5 minutes');
  await expect(viewer.getByTestId('display-message')).toHaveCount(0);
  await expect(page.getByTestId('msg-current')).toContainText('blackout');
  await viewer.screenshot({ path: 'e2e/screenshots/viewer-blackout.png' });

  await page.getByTestId('msg-clear').click();
  await expect(blackout).toHaveCount(0);
  await expect(viewer.getByTestId('display-digits')).toHaveText('30:00');
});

test('the rundown reorders by keyboard and by drag', async ({ page }) => {
  const room = await createRoomViaApi(page, 'Reorder');
  await openControl(page, room.id);
  await addTimer(page, 'Alpha', '1:00');
  await addTimer(page, 'Bravo', '2:00');
  await addTimer(page, 'Charlie', '3:00');
  const labels = page.getByTestId('rundown').getByTestId('row-label');
  await expect(labels).toHaveText(['Alpha', 'Bravo', 'Charlie']);

  // Keyboard: focus Alpha's handle, ArrowDown twice. The global shortcut must not fire.
  const alphaHandle = page.getByTestId('rundown-row').filter({ hasText: 'Alpha' }).getByTestId('row-handle');
  await alphaHandle.focus();
  await page.keyboard.press('ArrowDown');
  await expect(labels).toHaveText(['Bravo', 'Alpha', 'Charlie']);
  await page.keyboard.press('ArrowDown');
  await expect(labels).toHaveText(['Bravo', 'Charlie', 'Alpha']);
  await expect(page.getByTestId('rundown-row').filter({ hasText: 'Alpha' })).toHaveAttribute('data-active', 'true');

  // Drag Charlie's handle above Bravo.
  const charlie = page.getByTestId('rundown-row').filter({ hasText: 'Charlie' }).getByTestId('row-handle');
  const bravoBox = await page.getByTestId('rundown-row').filter({ hasText: 'Bravo' }).boundingBox();
  const box = await charlie.boundingBox();
  if (!box || !bravoBox) throw new Error('rows not laid out');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, bravoBox.y + 4, { steps: 8 });
  await page.mouse.up();
  await expect(labels).toHaveText(['Charlie', 'Bravo', 'Alpha']);

  // The order is the server's: it survives a reload.
  await page.reload();
  await expect(page.getByTestId('rundown').getByTestId('row-label')).toHaveText(['Charlie', 'Bravo', 'Alpha']);
});

test('a finished timer counts on into overtime, in red, on the viewer', async ({ page, openPage }) => {
  const room = await createRoomViaApi(page, 'Overtime');
  await openControl(page, room.id);
  await addTimer(page, 'Lightning talk', '0:02');
  const viewer = await openPage();
  await viewer.goto(await viewerLink(page));
  const display = viewer.getByTestId('viewer-display');
  await expect(viewer.getByTestId('display-digits')).toHaveText('0:02.0');

  await page.getByTestId('ctl-start').click();
  // Two seconds left is inside the room's default 15 s danger threshold.
  await expect(display).toHaveAttribute('data-phase', 'danger');
  await expect(display).toHaveAttribute('data-phase', 'overtime', { timeout: 4_000 });
  await expect(viewer.getByTestId('display-digits')).toHaveText(/^-0:0[1-9]$/, { timeout: 3_000 });
  await expect(viewer.getByTestId('display-state')).toHaveText('Overtime');
  // The server's alarm marks the timer finished; the control panel offers pause, not start.
  await expect(display).toHaveAttribute('data-state', 'finished');
  await expect(page.getByTestId('ctl-start')).toBeDisabled();
  await expect(viewer.getByTestId('display-digits')).toHaveCSS('color', 'rgb(242, 92, 92)');
  await viewer.screenshot({ path: 'e2e/screenshots/viewer-overtime.png' });
});
