import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliFixture, type CliProcess } from '../support/cli';
import { renderScreen } from '../support/cli-screen';
import { waitFor } from '../support/qemu';

const { qemu, spawnInPty, tempDir } = useCliFixture();

/** Waits until the screen's text matches, with the screen in the failure message. */
async function screenShows(cli: CliProcess, pattern: RegExp): Promise<void> {
  await waitFor(() => pattern.test(renderScreen(cli.stdout()).text), 'the screen', 20_000).catch(() => {
    throw new Error(`the terminal never showed ${pattern}; it shows:\n${renderScreen(cli.stdout()).text}`);
  });
}

/** A shell on a pseudo-terminal, waiting at its first prompt. */
async function terminalShell(args: readonly string[]): Promise<{ cli: CliProcess; type: (keys: string) => void; shows: (p: RegExp) => Promise<void> }> {
  const cli = spawnInPty(args, { QMP_MONITOR_HISTORY: join(tempDir(), 'history') });
  const shows = (pattern: RegExp): Promise<void> => screenShows(cli, pattern);
  await shows(/\(QEMU\) $/);
  return { cli, type: (keys) => void cli.child.stdin!.write(keys), shows };
}

describe('qmp-monitor TARGET on a terminal, with the schema', () => {
  it('completes argument names and enum values from the schema with Tab', async () => {
    const q = await qemu();
    const { cli, type, shows } = await terminalShell([q.target]);
    // Keys are typed one burst at a time: readline only completes on a Tab that ends its chunk.
    type('device_del ');
    await shows(/\(QEMU\) device_del $/);
    type('\t');
    await shows(/\(QEMU\) device_del id=$/);
    type('\x15'); // Ctrl-U empties the line
    type('blockdev-add driver=vvf');
    await shows(/\(QEMU\) blockdev-add driver=vvf$/);
    type('\t');
    await shows(/\(QEMU\) blockdev-add driver=vvfat$/);
    type('\x15\x04');
    expect((await cli.done).code).toBe(0);
  });

  it('warns before sending an invalid command and sends it when Enter is pressed again', async () => {
    const q = await qemu();
    const { cli, type, shows } = await terminalShell(['shell', q.target, '-v']);
    type('query-status bogus=1\r');
    await shows(/warning: [^\n]*bogus[^\n]*\n\(not sent: press Enter again to send it anyway\)\n\(QEMU\) query-status bogus=1$/);
    expect(cli.stdout()).not.toMatch(/"execute":"query-status"/); // -v echoes only what was sent
    type('\r');
    await shows(/"desc": "Parameter 'bogus' is unexpected"\n {2}\}\n\}\n\(QEMU\) $/);
    expect(renderScreen(cli.stdout()).text).toMatch(/\{"execute":"query-status","id":\d+,"arguments":\{"bogus":1\}\}|\{"execute":"query-status","arguments":\{"bogus":1\},"id":\d+\}/);
    // A missing required argument is caught the same way.
    type('device_del\r');
    await shows(/warning: [^\n]*'id'[^\n]*\n\(not sent[^\n]*\n\(QEMU\) device_del$/);
    type('\x15\x04');
    expect((await cli.done).code).toBe(0);
  });

  it('reads a transaction( block with a TRANS> prompt and sends it at )', async () => {
    const q = await qemu();
    const { cli, type, shows } = await terminalShell([q.target]);
    type('transaction(\r');
    await shows(/\nTRANS> $/);
    type('abort\r');
    await shows(/TRANS> abort\nTRANS> $/);
    type(')\r');
    await shows(/"desc": "Transaction aborted using Abort action"\n {2}\}\n\}\n\(QEMU\) $/);
    // Ctrl-C inside a block drops it.
    type('transaction(\r');
    await shows(/\nTRANS> $/);
    type('\x03');
    await shows(/transaction cancelled: nothing was sent\n\(QEMU\) $/);
    type('\x04');
    expect((await cli.done).code).toBe(0);
  });

  it('-H sends HMP lines and shows their text, completing HMP command names', async () => {
    const q = await qemu({ machine: 'pc' });
    const { cli, type, shows } = await terminalShell(['-H', q.target]);
    expect(cli.stdout()).toMatch(/HMP mode/);
    type('info status\r');
    await shows(/\(QEMU\) info status\nVM status: paused \(prelaunch\)\n\(QEMU\) $/);
    type('system_res');
    await shows(/\(QEMU\) system_res$/);
    type('\t');
    await shows(/\(QEMU\) system_reset$/);
    type('\x15\x04');
    expect((await cli.done).code).toBe(0);
  });
});
