/**
 * Replays QEMU's recorded wire bytes (exact recv chunking) against the client.
 *
 * Real QEMU cannot be killed at a chosen byte; the recording of one that was killed mid-reply
 * can be replayed, with only the reply id swapped for the one our client generated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { QmpConnectionError } from '../../electron/core/qmp/errors';
import { QmpClient } from '../../electron/core/qmp/qmp-client';
import { parseTarget } from '../../electron/core/qmp/target';
import { startFakeQmpServer, type FakeQmpServer } from '../support/fake-qmp-server';
import { loadTranscript } from '../support/transcripts';

let server: FakeQmpServer | undefined;
let client: QmpClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
});

describe('recorded QEMU traffic', () => {
  it('keeps the complete reply and fails the truncated one when QEMU was killed mid-reply', async () => {
    const records = loadTranscript('qemu-killed-midreply');
    // Skip the greeting, negotiation and the first query (the fake and the client do their own).
    const tail = records.slice(records.findIndex((r) => r.data.toString('latin1').startsWith('{"execute": "query-qmp-schema"')) + 1);
    server = await startFakeQmpServer({
      onCommand: (_command, conn) => {
        if (conn.commands.length < 3) return; // capabilities, then both schema queries
        const first = conn.commands[1]!;
        void (async () => {
          for (const chunk of tail) {
            if (chunk.dir !== 'recv') continue;
            if (chunk.eof) conn.socket.end();
            else await conn.write(chunk.data.toString('latin1').replace('"id": "big-1"', `"id": ${JSON.stringify(first.id)}`));
          }
        })();
      },
    });
    client = await QmpClient.connect(parseTarget(server.target));
    const [complete, truncated] = await Promise.allSettled([client.execute<unknown[]>('query-qmp-schema'), client.execute('query-qmp-schema')]);
    expect(complete.status === 'fulfilled' && complete.value.length).toBe(1051);
    expect(truncated.status).toBe('rejected');
    const reason = (truncated as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(QmpConnectionError);
    expect(reason.message).toBe(
      'connection closed by QEMU (EOF) while waiting for the reply to query-qmp-schema; a half-received message (73088 bytes) was dropped',
    );
  });
});
