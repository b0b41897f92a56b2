/**
 * The shared endpoint's fast path (simple-command.ts) against the full QEMU-compatible path
 * (lexer, parser, request checks): whatever the fast path takes, the full path must decide the
 * same way and leave the reader idle; and a one-byte change to a taken input is either refused
 * by the fast path or still agreed on.
 */
import { describe, expect, it } from 'vitest';
import { QemuJsonStreamer, type StreamItem } from '../../../electron/core/share/qemu-json-lexer';
import { parseQemuTokens } from '../../../electron/core/share/qemu-json-parser';
import { checkRequest, type RequestDecision } from '../../../electron/core/share/request-check';
import { simpleCommandAt } from '../../../electron/core/share/simple-command';

/** The fast path on a whole chunk: a command only when its line is the whole chunk. */
function simpleCommand(chunk: Buffer): { command: string; id: unknown } | undefined {
  const found = simpleCommandAt(chunk.toString('latin1'), 0);
  return found && found.end === chunk.length ? { command: found.command, id: found.id } : undefined;
}

const NEGOTIATED = { negotiated: true, oobEnabled: true, oobOffered: true };

/** What the full path decides for one chunk, and whether its reader ends idle. */
function fullPath(chunk: Buffer): { decisions: RequestDecision[]; idle: boolean } {
  const streamer = new QemuJsonStreamer();
  const decisions: RequestDecision[] = [];
  streamer.push(chunk, (item: StreamItem) => {
    if ('error' in item) decisions.push({ kind: 'answer', text: item.error });
    else {
      const parsed = parseQemuTokens(item.tokens);
      decisions.push('error' in parsed ? { kind: 'answer', text: parsed.error } : checkRequest(parsed.value, NEGOTIATED));
    }
  });
  return { decisions, idle: streamer.idle };
}

/** Asserts the fast path's answer (if any) is the full path's; returns whether it took it. */
function agrees(chunk: Buffer): boolean {
  const fast = simpleCommand(chunk);
  if (!fast) return false;
  const full = fullPath(chunk);
  expect(full.idle, chunk.toString('latin1')).toBe(true);
  expect(full.decisions, chunk.toString('latin1')).toEqual([{ kind: 'forward', command: fast.command, args: undefined, oob: false, id: fast.id }]);
  return true;
}

const NAMES = ['query-status', 'a', '', 'x-debug_thing.2', ' !#[]~', 'qmp_capabilities', 'say "hi"', 'back\\slash', 'caf\u00e9', 'tab\there'];
const IDS = ['', '0', '7', '123456789012345', '1234567890123456', '-1', '1.5', '1e3', '01', 'true', 'null', '{}', '[]', '"abc"', '""', '"a b"', '"q\\"x"', "'single'", '"\u00e9"'];
const SPACES = ['', ' ', '\t', '\r\n', '\n \n', '\f', '\v'];
const TAILS = ['', '\n', '\r\n', ' \t\n', '}', '{', 'x', '{"execute":"b"}', '\0'];

function* inputs(): Generator<string> {
  for (const name of NAMES) {
    for (const id of IDS) {
      for (const ws of SPACES) {
        for (const tail of TAILS) {
          const idPart = id === '' ? '' : `,${ws}"id":${ws}${id}`;
          yield `${ws}{${ws}"execute"${ws}:${ws}${JSON.stringify(name)}${idPart}${ws}}${tail}`;
          if (id !== '') yield `{"id":${ws}${id},${ws}"execute": ${JSON.stringify(name)}${ws}}${tail}`;
        }
      }
    }
  }
  yield '{"execute": "query-status", "arguments": {}}\n';
  yield '{"execute": "query-status", "id": 1, "id": 2}\n';
  yield "{'execute': 'query-status'}\n";
  yield '{"exec-oob": "query-status", "id": 1}\n';
  yield '{"execute": "query-status"}\n{"execute": "query-status"}\n';
}

describe('shared endpoint fast path', () => {
  it('takes only what the full path relays the same way, leaving its reader idle', () => {
    let taken = 0;
    let total = 0;
    for (const text of inputs()) {
      total++;
      if (agrees(Buffer.from(text, 'latin1'))) taken++;
    }
    // Both sides of the split are exercised: the common shapes are taken, the rest are not.
    expect(taken).toBeGreaterThan(1000);
    expect(total - taken).toBeGreaterThan(1000);
  });

  it('ends a match at its line end, so the next line starts where the lexer is idle', () => {
    const text = '{"execute":"stop","id":1} \r\n{"execute":"cont"}\n{"execute":"x","arguments":{}}\n';
    const first = simpleCommandAt(text, 0);
    expect(first).toEqual({ command: 'stop', id: { present: true, value: 1 }, end: text.indexOf('\n') + 1 });
    const second = simpleCommandAt(text, first!.end);
    expect(second).toMatchObject({ command: 'cont', end: text.indexOf('{"execute":"x"') });
    expect(simpleCommandAt(text, second!.end)).toBeUndefined();
    expect(simpleCommandAt('{"execute":"stop"} {"execute":"cont"}\n', 0)).toBeUndefined();
  });

  it('takes the shapes clients send and leaves quirks to the full path', () => {
    expect(simpleCommand(Buffer.from('{"execute":"query-status","id":1}\n'))).toEqual({ command: 'query-status', id: { present: true, value: 1 } });
    expect(simpleCommand(Buffer.from('{"execute": "query-status", "id": "__qmp#00001"}\r\n'))).toEqual({ command: 'query-status', id: { present: true, value: '__qmp#00001' } });
    expect(simpleCommand(Buffer.from('{"id": 0, "execute": "stop"}'))).toEqual({ command: 'stop', id: { present: true, value: 0 } });
    expect(simpleCommand(Buffer.from('{"execute": "cont"}\n'))).toEqual({ command: 'cont', id: { present: false } });
    for (const quirk of [
      "{'execute': 'stop'}",
      '{"execute": "st\\u006fp"}',
      '{"execute": "stop", "id": 12345678901234567}',
      '{"execute": "stop", "arguments": {}}',
      '{"execute": "qmp_capabilities"}',
      '{"execute": "stop"} x',
    ]) {
      expect(simpleCommand(Buffer.from(quirk)), quirk).toBeUndefined();
    }
  });

  it('agrees with the full path on every one-byte change of a taken input', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const bases = ['{"execute": "query-status", "id": 17}\r\n', '{"id": "x#1", "execute":"stop"}\n', '{"execute":"cont"}'];
    let taken = 0;
    for (const base of bases) {
      const bytes = Buffer.from(base, 'latin1');
      for (let at = 0; at < bytes.length; at++) {
        for (let k = 0; k < 64; k++) {
          const mutant = Buffer.from(bytes);
          mutant[at] = k < 32 ? random(256) : ' \t\r\n{}[]:,"\'\\0123456789-.eE+tfnaul\u00ff'.charCodeAt(k % 41);
          if (agrees(mutant)) taken++;
        }
      }
    }
    expect(taken).toBeGreaterThan(0);
  });
});
