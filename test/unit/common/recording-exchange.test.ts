/**
 * A recording read back as a QMP conversation: from a real `qmp-monitor shell --record` file
 * of QEMU 7.2 (test/fixtures/recordings), and from hand-made lines for what one session of
 * real QEMU does not show at once (replies paired by order, an OOB reply overtaking, a torn
 * line, a 64-bit integer).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExchange } from '../../../electron/common/recording-exchange';
import { formatRecordingLine, parseRecording, type RecordingEntry } from '../../../electron/common/wire-recording';

const FIXTURE = join(__dirname, '../../fixtures/recordings/cli-shell-qemu-7.2.jsonl');

const line = (dir: 'in' | 'out', t: number, text: string) => formatRecordingLine({ dir, t, text });

describe('readExchange on a real CLI recording of QEMU 7.2', () => {
  const parsed = parseRecording(readFileSync(FIXTURE, 'utf8'));
  const exchange = readExchange(parsed.entries);

  it('reads every line, the greeting and its capabilities', () => {
    expect(parsed.badLines).toEqual([]);
    expect(parsed.entries).toHaveLength(12);
    expect(exchange.qemuVersion).toMatch(/^7\.2\.\d+ Debian /);
    expect(exchange.capabilities).toEqual(['oob']);
    expect(exchange.unmatched).toBe(0);
  });

  it('pairs each command with its reply by id, even when replies come after several commands', () => {
    expect(exchange.commands.map((c) => c.execute)).toEqual(['qmp_capabilities', 'query-status', 'cont', 'device_del', 'query-status']);
    const [caps, paused, cont, del, running] = exchange.commands;
    expect(caps?.argumentsJson).toBe('{"enable":["oob"]}');
    expect(paused?.reply).toMatchObject({ ok: true, returnJson: '{"status":"paused","singlestep":false,"running":false}' });
    expect(cont?.reply).toMatchObject({ ok: true, returnJson: '{}' });
    expect(del?.argumentsJson).toBe('{"id":"nope"}');
    expect(del?.reply).toMatchObject({ ok: false, errorClass: 'DeviceNotFound', desc: "Device 'nope' not found" });
    expect(running?.reply).toMatchObject({ ok: true, returnJson: '{"status":"running","singlestep":false,"running":true}' });
    for (const command of exchange.commands) expect(command.reply!.receivedAt).toBeGreaterThanOrEqual(command.sentAt);
  });

  it('keeps the events with QEMU’s timestamps', () => {
    expect(exchange.events).toHaveLength(1);
    expect(exchange.events[0]).toMatchObject({ event: 'RESUME', timestamp: { seconds: expect.any(Number) as number, microseconds: expect.any(Number) as number } });
    expect(exchange.events[0]?.dataJson).toBeUndefined();
  });
});

describe('readExchange pairing rules', () => {
  it('pairs id-less commands in order, and trusts only the id for an OOB reply that overtakes', () => {
    const text = [
      line('out', 1, '{"execute":"query-status"}\n'),
      line('out', 2, '{"execute":"query-name"}\n'),
      line('out', 3, '{"exec-oob":"query-yank","id":"y"}\n'),
      line('in', 4, '{"return": [], "id": "y"}\r\n'),
      line('in', 5, '{"return": {"status": "running", "singlestep": false, "running": true}}\r\n'),
      line('in', 6, '{"return": {"name": "a"}}\r\n'),
    ].join('\n');
    const { commands, unmatched } = readExchange(parseRecording(text).entries);
    expect(commands.map((c) => [c.execute, c.oob, c.reply?.ok && c.reply.returnJson])).toEqual([
      ['query-status', false, '{"status":"running","singlestep":false,"running":true}'],
      ['query-name', false, '{"name":"a"}'],
      ['query-yank', true, '[]'],
    ]);
    expect(unmatched).toBe(0);
  });

  it('keeps 64-bit integers exact, counts a reply matching nothing, and leaves an unanswered command without reply', () => {
    const text = [
      line('out', 1, '{"execute":"query-x","id":1}\n'),
      line('in', 2, '{"return": {"size": 18446744073709551615}, "id": 1}\r\n'),
      line('in', 3, '{"return": {}, "id": 99}\r\n'),
      line('in', 4, 'not json\r\n'),
      line('out', 5, '{"execute":"stop","id":2}\n'),
    ].join('\n');
    const { commands, unmatched } = readExchange(parseRecording(text).entries);
    expect(commands[0]?.reply).toMatchObject({ ok: true, returnJson: '{"size":18446744073709551615}' });
    expect(commands[1]?.reply).toBeUndefined();
    expect(unmatched).toBe(2);
  });

  it('refuses a malformed line with its line number and keeps the rest', () => {
    const good: RecordingEntry = { dir: 'in', t: 7, text: '{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}\r\n' };
    const text = `${formatRecordingLine(good)}\n{"dir":"in","t":8,"te\n{"dir":"sideways","t":9,"text":""}\n${formatRecordingLine(good)}`;
    const parsed = parseRecording(text);
    expect(parsed.badLines.map((b) => b.line)).toEqual([2, 3]);
    expect(parsed.badLines[0]?.reason).toMatch(/^not JSON/);
    expect(readExchange(parsed.entries).events).toHaveLength(2);
  });
});
