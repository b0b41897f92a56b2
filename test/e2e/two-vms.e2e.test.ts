/**
 * Two real QEMUs in one window: both listed, each selectable by mouse and keyboard; and the
 * README screenshots (light and dark) of exactly that view.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppSession, type AppSession } from '../support/app-session';
import type { TestQemu } from '../support/qemu';
import { actionButton, addConnection, statusValue, vmOption, waitForText } from './app-page';

/**
 * The README's pictures are rewritten only on request (`UPDATE_SCREENSHOTS=1 npm test`), so an
 * ordinary run leaves the work tree clean; otherwise they land in test/artifacts for a look.
 */
const DOCS = process.env['UPDATE_SCREENSHOTS'] === '1' ? resolve(__dirname, '../../docs') : resolve(__dirname, '../artifacts');

/** A PC with two vCPUs, 512 MiB and a qcow2 disk, so the status panel has something to show. */
async function startRichVm(session: AppSession, name: string): Promise<TestQemu> {
  const dir = session.tempDir();
  const disk = join(dir, `${name}.qcow2`);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '1G']);
  return session.startQemu({
    machine: 'pc',
    name,
    dir,
    extraArgs: ['-smp', '2', '-m', '512', '-drive', `if=none,id=disk0,file=${disk},format=qcow2`, '-device', 'virtio-blk-pci,drive=disk0,id=vblk0'],
  });
}

describe('two VMs at once', () => {
  let web: TestQemu;
  let db: TestQemu;
  let session: AppSession;

  beforeAll(async () => {
    session = await startAppSession();
    [web, db] = await Promise.all([startRichVm(session, 'web-01'), startRichVm(session, 'db-02')]);
    // Every case below starts from both VMs added, and selects what it looks at.
    const { page } = session;
    await addConnection(page, web.socketPath!, 'frontend');
    await addConnection(page, `unix:${db.socketPath!}`);
    await vmOption(page, 'web-01').waitFor();
    await vmOption(page, 'db-02').waitFor();
    // The last one added is selected.
    await waitForText(page.getByRole('heading', { level: 2 }), 'db-02');
  });

  /** Selects `name` in the sidebar and waits until the status panel shows it. */
  async function select(name: string): Promise<void> {
    await vmOption(session.page, name).click();
    await waitForText(session.page.getByRole('heading', { level: 2 }), name);
  }

  afterAll(async () => {
    await session?.close();
  });

  it('lists both with their state and shows the selected one', async () => {
    const { page } = session;
    await select('db-02');
    await waitForText(statusValue(page, 'Run state'), 'prelaunch');

    await select('web-01');
    await waitForText(statusValue(page, 'Target'), `unix:${web.socketPath!}`);
    const blockRow = page.getByRole('table', { name: 'Block devices' }).getByRole('row').nth(1);
    await waitForText(blockRow, /web-01\.qcow2 \(qcow2\)/);
    expect(await page.getByRole('table', { name: 'Virtual CPUs' }).getByRole('row').count()).toBe(3);
  });

  it('moves between VMs with the arrow keys', async () => {
    const { page } = session;
    await select('web-01');
    await vmOption(page, 'web-01').focus();
    await page.keyboard.press('ArrowDown');
    await waitForText(page.getByRole('heading', { level: 2 }), 'db-02');
    const focusedId = await page.evaluate<string | null>('document.activeElement && document.activeElement.id');
    expect(focusedId).toBe(await vmOption(page, 'db-02').getAttribute('id'));
    await page.keyboard.press('Home');
    await waitForText(page.getByRole('heading', { level: 2 }), 'web-01');
    expect(await vmOption(page, 'web-01').getAttribute('aria-selected')).toBe('true');
  });

  it('steers only the selected VM', async () => {
    const { page } = session;
    await select('web-01');
    await waitForText(statusValue(page, 'Run state'), 'prelaunch');
    await actionButton(page, 'Resume').click();
    await waitForText(statusValue(page, 'Run state'), 'running');
    await actionButton(page, 'Pause').click();
    await waitForText(statusValue(page, 'Run state'), 'paused');
    await actionButton(page, 'Resume').click();
    await waitForText(statusValue(page, 'Run state'), 'running');
    await select('db-02');
    await waitForText(statusValue(page, 'Run state'), 'prelaunch');
    await select('web-01');
    await waitForText(page.getByRole('list', { name: 'Recent events, newest first' }).getByRole('listitem').nth(2), /RESUME/);
  });

  it('takes the README screenshots in light and dark', async () => {
    const { page } = session;
    mkdirSync(DOCS, { recursive: true });
    await select('web-01');
    await waitForText(statusValue(page, 'Connection'), 'ready');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(DOCS, 'screenshot.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(background).toBe('rgb(18, 20, 24)');
    await page.screenshot({ path: join(DOCS, 'screenshot-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(session.browser.errors).toEqual([]);
  });
});
