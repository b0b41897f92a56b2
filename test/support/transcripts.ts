/**
 * Loads the recorded QEMU 7.2 wire transcripts (test/fixtures/qmp/transcripts/*.jsonl).
 *
 * Tests and benchmarks replay real QEMU traffic with its exact recv() chunking instead of
 * hand-written fixtures, so what we parse is what QEMU really sends. Format: one JSON object
 * per line `{t, dir, data, eof?, error?, conn?, data_b64?}` (see the shared QMP README).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** One recorded socket operation. */
export interface TranscriptRecord {
  /** Seconds since connect. */
  readonly t: number;
  readonly dir: 'recv' | 'send';
  /** The exact bytes of the chunk (empty on an EOF line). */
  readonly data: Buffer;
  readonly eof: boolean;
  /** Set when recv() raised (e.g. ECONNRESET): the connection is closed too. */
  readonly error: string | undefined;
  /** Connection label in multi-connection transcripts, '' otherwise. */
  readonly conn: string;
}

/** What one connection received, in order, up to its end. */
export interface RecvStream {
  readonly conn: string;
  /** recv() chunks exactly as recorded, without the empty EOF line. */
  readonly chunks: readonly Buffer[];
  /** How the stream ended: `eof` (recv returned 0), `error` (recv raised) or still open. */
  readonly end: 'eof' | 'error' | 'open';
}

/**
 * Where the transcripts live: `test/fixtures/qmp/transcripts/`, copied into the repo from the shared
 * folder with their index (INDEX.md) so the suite stands alone on a fresh clone.
 */
export function transcriptDir(): string {
  return resolve(__dirname, '../fixtures/qmp/transcripts');
}

/** Names of every transcript, without `.jsonl`, sorted. */
export function transcriptNames(): string[] {
  return readdirSync(transcriptDir())
    .filter((file) => file.endsWith('.jsonl'))
    .map((file) => file.slice(0, -'.jsonl'.length))
    .sort();
}

/** Every record of one transcript, with `data` as the exact bytes on the wire. */
export function loadTranscript(name: string): TranscriptRecord[] {
  const text = readFileSync(join(transcriptDir(), `${name}.jsonl`), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const raw = JSON.parse(line) as Record<string, unknown>;
      // Chunks that were not valid UTF-8 on their own carry their true bytes in data_b64.
      const data =
        typeof raw['data_b64'] === 'string'
          ? Buffer.from(raw['data_b64'], 'base64')
          : Buffer.from(typeof raw['data'] === 'string' ? raw['data'] : '', 'utf8');
      return {
        t: Number(raw['t']),
        dir: raw['dir'] === 'send' ? 'send' : 'recv',
        data,
        eof: raw['eof'] === true,
        error: typeof raw['error'] === 'string' ? raw['error'] : undefined,
        conn: typeof raw['conn'] === 'string' ? raw['conn'] : '',
      };
    });
}

/** The received bytes of each connection in a transcript, stopping at its EOF or error. */
export function loadRecvStreams(name: string): RecvStream[] {
  const streams = new Map<string, { chunks: Buffer[]; end: RecvStream['end'] }>();
  for (const record of loadTranscript(name)) {
    if (record.dir !== 'recv') continue;
    let stream = streams.get(record.conn);
    if (!stream) streams.set(record.conn, (stream = { chunks: [], end: 'open' }));
    if (stream.end !== 'open') continue;
    if (record.data.length > 0) stream.chunks.push(record.data);
    if (record.error !== undefined) stream.end = 'error';
    else if (record.eof) stream.end = 'eof';
  }
  return [...streams].map(([conn, stream]) => ({ conn, ...stream }));
}

/** The received stream of one connection (`conn` is needed only for multi-connection files). */
export function loadRecvStream(name: string, conn = ''): RecvStream {
  const streams = loadRecvStreams(name);
  const stream = streams.find((s) => s.conn === conn);
  if (!stream) throw new Error(`transcript ${name} has no connection '${conn}' (has ${streams.map((s) => `'${s.conn}'`).join(', ')})`);
  return stream;
}
