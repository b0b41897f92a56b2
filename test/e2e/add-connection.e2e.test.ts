/**
 * The add-connection dialog against the real core: its validation message, and a target that
 * does not answer showing up with the reason instead of silently waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppSession, type AppSession } from '../support/app-session';
import { statusValue, vmOption, waitForText } from './app-page';

describe('adding connections', () => {
  let session: AppSession;

  beforeAll(async () => {
    session = await startAppSession();
  });

  afterAll(async () => {
    await session?.close();
  });

  it('requires a target, keeps Esc and focus rules, and returns focus to the opener', async () => {
    const { page } = session;
    const opener = page.getByRole('button', { name: 'Add connection' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Add connection' });
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    const target = dialog.getByLabel('Socket path or HOST:PORT');
    await waitForText(page.locator(`#${await target.getAttribute('aria-describedby')}`), /socket path/);
    expect(await target.getAttribute('aria-invalid')).toBe('true');
    // The page behind is inert: the sidebar button is not reachable while the dialog is open.
    expect(await page.getByRole('button', { name: 'Add connection' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const focusedText = await page.evaluate<string | null>('document.activeElement && document.activeElement.textContent');
    expect(focusedText).toBe('Add connection');
  });

  it('shows the core’s refusal inline and keeps the input', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Add connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add connection' });
    await dialog.getByLabel('Socket path or HOST:PORT').fill('tcp:127.0.0.1:99999999');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(((await alert.textContent()) ?? '').length).toBeGreaterThan(5);
    expect(await dialog.getByLabel('Socket path or HOST:PORT').inputValue()).toBe('tcp:127.0.0.1:99999999');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows a socket nobody listens on as not connected, with the reason', async () => {
    const { page } = session;
    const missing = `${session.tempDir()}/nobody-here.sock`;
    await page.getByRole('button', { name: 'Add connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add connection' });
    await dialog.getByLabel('Label').fill('ghost');
    await dialog.getByLabel('Socket path or HOST:PORT').fill(missing);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await vmOption(page, 'ghost').waitFor();
    await waitForText(statusValue(page, 'Connection'), /^(reconnecting|failed)/);
    await page.getByRole('main').getByText(/^Connection problem: .*(ENOENT|no such|not found|does not exist)/i).waitFor();
    await waitForText(statusValue(page, 'QEMU version'), 'unavailable (not connected)');
    expect(session.browser.errors).toEqual([]);
  });
});
