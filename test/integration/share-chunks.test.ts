/**
 * However a client's bytes are cut into reads, the shared endpoint answers as QEMU does.
 *
 * Its reader takes lone argument-less command lines on a fast path and everything else through
 * QEMU's own lexer and parser (downstream-client.ts, simple-command.ts); where one hands over to
 * the other depends on where reads end. A real socket cannot be made to cut reads at chosen
 * bytes, so the chunks are handed to the endpoint's side of a real connection as its reads, and
 * the replies, written back over that connection by the endpoint relaying to a real QEMU, must
 * be byte for byte what the same QEMU's second monitor answers to the whole text at once.
 */
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllQemu, makeTempDir, startQemu } from '../support/qemu';
import { rawClient, shareTarget, type RawClient } from '../support/share-support';

afterAll(killAllQemu);

/** Simple lines, lines with arguments, QEMU's quirks and errors, a pretty message, run together. */
const STREAM = [
  '{"execute":"query-status","id":1}\n',
  '{"execute": "query-name", "id": "n#1"}\r\n',
  '{"id": 2, "execute": "query-version"}\n',
  '{"execute":"query-status","arguments":{},"id":3}\n',
  "{'execute': 'query-status', 'id': 4}\n",
  '{"execute":"qmp_capabilities","id":5}\n',
  '{\n  "execute": "query-status",\n  "id": 6\n}\n',
  '{"execute":"query-status","id":7}{"execute":"query-status","id":8}\n',
  '@@ {"execute":"query-kvm","id":9}\n',
  '{"execute":"query-status","id":10,"id":11}\n',
  '{"execute": "query-kvm"}\n',
  '   \n\n',
  '{"execute":"query-status","id":12345678901234567890}\n',
  '{"execute":"query-status","id":-0}\n',
  '{"execute":"query-status","id":-0.0}\n',
  '{"execute":"query-status","id":1.5} \t\n',
  '{"execute":"nope","id":"x"}\n',
].join('');

const END = '{"execute":"query-status","id":"end"}\n';

/** Negotiates, then resolves with a function that sends chunks and returns what came back. */
async function session(client: RawClient, deliver: (chunk: Buffer) => void): Promise<(chunks: Buffer[]) => Promise<string>> {
  await client.waitForCount(1, 'the greeting');
  client.send('{"execute":"qmp_capabilities"}\n');
  await client.waitForCount(2, 'the negotiation reply');
  return async (chunks) => {
    const from = client.text().length;
    const count = client.messages.length;
    for (const chunk of chunks) deliver(chunk);
    deliver(Buffer.from(END));
    await client.waitFor((m, index = client.messages.indexOf(m)) => index >= count && m['id'] === 'end', 'the closing reply');
    return client.text().slice(from);
  };
}

/** `text` cut at `cuts` (sorted byte offsets). */
function cut(text: Buffer, cuts: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const at of [...cuts, text.length]) {
    chunks.push(text.subarray(from, at));
    from = at;
  }
  return chunks.filter((c) => c.length > 0);
}

describe('shared endpoint reads', () => {
  it('answers exactly as QEMU does wherever the reads end', { timeout: 120_000 }, async () => {
    const dir = makeTempDir('qmp-share-chunks-');
    const directPath = join(dir, 'direct.sock');
    const qemu = await startQemu({ dir, extraArgs: ['-qmp', `unix:${directPath},server=on,wait=off`] });
    const shared = await shareTarget(qemu.target, join(dir, 'share.sock'));
    try {
      // The endpoint's side of the connection: its 'data' events are the endpoint's reads.
      const accepted = new Promise<Socket>((resolve) => (shared.monitor['servers'][0]!.once('connection', resolve)));
      const viaMux = await rawClient(`unix:${join(dir, 'share.sock')}`);
      const endpointSide = await accepted;
      const direct = await rawClient(`unix:${directPath}`);
      const expectedRun = await session(direct, (chunk) => direct.send(chunk));
      const muxRun = await session(viaMux, (chunk) => endpointSide.emit('data', chunk));
      const bytes = Buffer.from(STREAM, 'latin1');
      const expected = await expectedRun([bytes]);
      expect(expected).toContain('"id": 12345678901234567890');
      expect(await muxRun([bytes])).toBe(expected);
      // Every single cut, then per line, per byte, and random cuts.
      for (let at = 1; at < bytes.length; at++) expect(await muxRun(cut(bytes, [at])), `cut at ${at}`).toBe(expected);
      const lineEnds = [...STREAM.matchAll(/\n/g)].map((m) => m.index + 1);
      expect(await muxRun(cut(bytes, lineEnds))).toBe(expected);
      expect(await muxRun(cut(bytes, Array.from({ length: bytes.length }, (_, i) => i)))).toBe(expected);
      let seed = 7;
      for (let run = 0; run < 100; run++) {
        const cuts = new Set<number>();
        for (let k = 0; k < 6; k++) {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          cuts.add(1 + (seed % (bytes.length - 1)));
        }
        const sorted = [...cuts].sort((a, b) => a - b);
        expect(await muxRun(cut(bytes, sorted)), `cuts ${sorted.join(',')}`).toBe(expected);
      }
      viaMux.close();
      direct.close();
    } finally {
      await shared.stop();
      await qemu.kill();
    }
  });
});
