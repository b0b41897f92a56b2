/**
 * Hostile clients of the shared endpoint cannot hurt QEMU, the app or other clients: garbage,
 * one-byte writes, a 100 MB line, and a client that never reads.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killAllQemu, makeTempDir, startQemu, waitFor } from '../support/qemu';
import { rawClient, shareTarget, type RawClient, type SharedSetup } from '../support/share-support';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(killAllQemu);

async function shared(maxClientQueueBytes?: number): Promise<{ setup: SharedSetup; endpoint: string }> {
  const qemu = await startQemu();
  cleanups.push(() => qemu.kill());
  const dir = makeTempDir('qmp-share-hostile-');
  const setup = await shareTarget(qemu.target, join(dir, 'share.sock'), maxClientQueueBytes);
  cleanups.push(() => setup.stop());
  return { setup, endpoint: `unix:${join(dir, 'share.sock')}` };
}

async function negotiated(endpoint: string): Promise<RawClient> {
  const client = await rawClient(endpoint);
  cleanups.push(() => client.close());
  await client.waitForCount(1, 'the greeting');
  client.send('{"execute":"qmp_capabilities"}\n');
  await client.waitForCount(2, 'the negotiation reply');
  return client;
}

/** The well-behaved client and the app still get answers. */
async function othersStillServed(setup: SharedSetup, good: RawClient, tag: string): Promise<void> {
  good.send(`{"execute":"query-status","id":"${tag}"}\n`);
  const reply = await good.waitFor((m) => m['id'] === tag, `the good client's ${tag}`);
  expect(reply).toMatchObject({ return: { status: 'running' } });
  expect(await setup.upstream.execute('query-status')).toMatchObject({ status: 'running' });
}

describe('hostile clients of the shared endpoint', () => {
  it('answers garbage as QEMU does and keeps serving everyone', async () => {
    const { setup, endpoint } = await shared();
    const good = await negotiated(endpoint);
    const bad = await negotiated(endpoint);
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    bad.send(garbage);
    bad.send('\n}]}]\n{"execute":"query-status","id":"after-garbage"}\n');
    await othersStillServed(setup, good, 'g1');
    await bad.waitFor((m) => m['id'] === 'after-garbage', 'the bad client to resynchronise', 20_000);
    const errors = bad.messages.filter((m) => 'error' in m && !('id' in m));
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error['error']).toMatchObject({ class: 'GenericError', desc: expect.stringMatching(/^JSON parse error, |^QMP input/) as unknown });
    expect(good.messages.filter((m) => 'error' in m)).toHaveLength(0);
  });

  it('understands a command sent one byte per write', async () => {
    const { endpoint } = await shared();
    const slow = await negotiated(endpoint);
    const command = Buffer.from('{"execute": "query-status", "id": {"one": "byte"}}\n');
    for (const byte of command) {
      slow.send(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const reply = await slow.waitFor((m) => 'id' in m, 'the reply');
    expect(reply).toEqual({ return: { status: 'running', singlestep: false, running: true }, id: { one: 'byte' } });
  });

  it('refuses a 100 MB line with QEMU\'s size error and goes on', { timeout: 120_000 }, async () => {
    const { setup, endpoint } = await shared();
    const good = await negotiated(endpoint);
    const huge = await negotiated(endpoint);
    huge.send('{"execute": "human-monitor-command", "arguments": {"command-line": "');
    const piece = Buffer.alloc(1024 * 1024, 0x41);
    for (let i = 0; i < 100; i++) {
      huge.send(piece);
      if (i % 10 === 0) await othersStillServed(setup, good, `during-${i}`);
      if (huge.socket.writableLength > 8 * 1024 * 1024) await new Promise((resolve) => huge.socket.once('drain', resolve));
    }
    huge.send('"}}\n{"execute":"query-status","id":"after-huge"}\n');
    const limit = await huge.waitFor((m) => 'error' in m, 'the size error', 60_000);
    expect(limit).toEqual({ error: { class: 'GenericError', desc: 'JSON token size limit exceeded' } });
    await huge.waitFor((m) => m['id'] === 'after-huge', 'the command after the huge line', 60_000);
    await othersStillServed(setup, good, 'after');
  });

  it('disconnects a client that never reads, with the reason logged, and nobody waits for it', { timeout: 60_000 }, async () => {
    const { setup, endpoint } = await shared(1024 * 1024);
    const good = await negotiated(endpoint);
    const deaf = await negotiated(endpoint);
    deaf.socket.pause(); // never reads again
    for (let i = 0; i < 40; i++) deaf.send(`{"execute":"query-qmp-schema","id":${i}}\n`);
    await waitFor(() => setup.log.some((line) => /c2 .*disconnected: too slow: [\d.]+ MiB unread \(limit 1 MiB\)/.test(line)), 'the deaf client to be cut off', 45_000);
    await othersStillServed(setup, good, 'after-deaf');
    await waitFor(() => setup.monitor.clients().length === 1, 'the client list');
  });
});
