import { existsSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRecording, type RecordingEntry } from '../../electron/common/wire-recording';
import { useCliFixture } from '../support/cli';
import { waitFor, type TestQemu } from '../support/qemu';

const { qemu, spawn, run: runCli, tempDir } = useCliFixture();

/** A TCP relay in front of a QEMU unix socket that keeps every byte each way, as a witness. */
interface Relay {
  readonly target: string;
  readonly toQemu: Buffer[];
  readonly fromQemu: Buffer[];
}

const relays: Server[] = [];
const relaySockets: Socket[] = [];
afterEach(async () => {
  for (const s of relaySockets.splice(0)) s.destroy();
  await Promise.all(relays.splice(0).map((r) => new Promise<void>((resolve) => r.close(() => resolve()))));
});

async function relayTo(q: TestQemu): Promise<Relay> {
  const relay: Relay & { target: string } = { target: '', toQemu: [], fromQemu: [] };
  const server = createServer((client) => {
    const upstream = connect(q.socketPath!);
    relaySockets.push(client, upstream);
    client.on('data', (b: Buffer) => (relay.toQemu.push(b), upstream.write(b)));
    upstream.on('data', (b: Buffer) => (relay.fromQemu.push(b), client.write(b)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  relays.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');
  return { ...relay, target: `tcp:127.0.0.1:${address.port}`, toQemu: relay.toQemu, fromQemu: relay.fromQemu };
}

function readRecording(path: string): readonly RecordingEntry[] {
  const { entries, badLines } = parseRecording(readFileSync(path, 'utf8'));
  expect(badLines).toEqual([]);
  return entries;
}

/** Every recorded text in one direction, joined: must be the bytes the relay saw. */
function joined(entries: readonly RecordingEntry[], dir: 'in' | 'out'): string {
  return entries.filter((e) => e.dir === dir).map((e) => e.text).join('');
}

describe('--record: the exchange as it crossed the socket', () => {
  it.each([false, true])('exec records the exact texts both ways, one message per entry (pretty=on: %s)', async (pretty) => {
    const q = await qemu({ pretty, name: 'rec-vm' });
    const relay = await relayTo(q);
    const file = join(tempDir(), 'exec.jsonl');
    const before = Date.now();
    const r = await runCli(['exec', relay.target, 'query-name', '--record', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('{"name":"rec-vm"}\n');
    const entries = readRecording(file);
    expect(joined(entries, 'in')).toBe(Buffer.concat(relay.fromQemu).toString('utf8'));
    expect(joined(entries, 'out')).toBe(Buffer.concat(relay.toQemu).toString('utf8'));
    // Each entry is one whole message (the greeting, the negotiation reply, the return).
    const ins = entries.filter((e) => e.dir === 'in');
    expect(ins).toHaveLength(3);
    for (const e of ins) {
      expect(e.text.endsWith('\r\n')).toBe(true);
      expect(() => JSON.parse(e.text) as unknown).not.toThrow();
    }
    if (pretty) expect(ins[2]!.text).toMatch(/^\{\r\n {4}"return": \{\r\n/);
    expect(entries.map((e) => e.dir)).toEqual(['in', 'out', 'in', 'out', 'in']);
    for (const e of entries) expect(e.t).toBeGreaterThanOrEqual(before);
    expect(entries.every((e, i) => i === 0 || e.t >= entries[i - 1]!.t)).toBe(true);
  });

  it('events --human prints local time with microseconds; --record keeps the events as QEMU sent them', async () => {
    const dir = tempDir();
    const second = join(dir, 'qmp2.sock');
    const q = await qemu({ dir, extraArgs: ['-qmp', `unix:${second},server=on,wait=off`] });
    const file = join(dir, 'events.jsonl');
    const cli = spawn(['events', q.target, '--human', '--count', '2', '--record', file]);
    // Connected once the recording holds the negotiation reply.
    await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').length >= 3, 'events to negotiate', 20_000);
    expect((await runCli(['exec', `unix:${second}`, 'stop'])).code).toBe(0);
    expect((await runCli(['exec', `unix:${second}`, 'cont'])).code).toBe(0);
    const r = await cli.done;
    expect(r.code).toBe(0);
    const recorded = readRecording(file)
      .filter((e) => e.dir === 'in' && e.text.includes('"event"'))
      .map((e) => JSON.parse(e.text) as { event: string; timestamp: { seconds: number; microseconds: number } });
    expect(recorded.map((e) => e.event)).toEqual(['STOP', 'RESUME']);
    const expected = recorded.map(({ event, timestamp }) => {
      const d = new Date(timestamp.seconds * 1000);
      const p = (n: number, w = 2): string => String(n).padStart(w, '0');
      const time = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
      return `${time}.${p(timestamp.microseconds, 6)} ${event}`;
    });
    expect(r.stdout).toBe(`${expected.join('\n')}\n`);
  });
});

describe('--record FILE that cannot be written', () => {
  it('fails with one error line naming the file and the reason, before connecting', async () => {
    const r = await runCli(['exec', 'unix:/nonexistent/x.sock', 'query-status', '--record', '/nonexistent-dir/rec.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: cannot write the recording /nonexistent-dir/rec.jsonl: the folder does not exist\n');
  });
});

describe('exec with shorthand arguments', () => {
  it('takes key=value words as the shell does, and JSON as before', async () => {
    const q = await qemu({ machine: 'pc' });
    const shorthand = await runCli(['exec', q.target, 'device_del', 'id=vblk0']);
    expect(shorthand.code).toBe(1);
    expect(shorthand.stderr).toBe("error: DeviceNotFound: Device 'vblk0' not found\n");
    const hmp = await runCli(['exec', q.target, 'human-monitor-command', 'command-line=info status']);
    expect(hmp.stdout).toBe('"VM status: paused (prelaunch)\\r\\n"\n');
    const json = await runCli(['exec', q.target, 'human-monitor-command', '{"command-line": "info status"}']);
    expect(json.stdout).toBe(hmp.stdout);
  });

  it('refuses a word that is not key=value before connecting', async () => {
    const r = await runCli(['exec', 'unix:/nonexistent/x.sock', 'device_del', 'id=a', 'oops']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: 'oops' is not key=value/);
  });
});
