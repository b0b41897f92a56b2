/**
 * The real QEMU 7.2 `query-qmp-schema` reply, from the recorded transcript, for schema tests.
 *
 * Read from the wire bytes QEMU sent (test/fixtures/qmp/transcripts/schema.jsonl), so the
 * model is tested on exactly what a 7.2 build answers, masked names and all.
 */
import { buildSchemaModel, type SchemaModel } from '../../electron/common/qapi/schema-model';
import { loadRecvStream } from './transcripts';

let cached: unknown[] | undefined;

/** The `return` array of the recorded `query-qmp-schema` (the same array for every caller). */
export function schemaInfo72(): unknown[] {
  if (cached !== undefined) return cached;
  const text = Buffer.concat(loadRecvStream('schema').chunks).toString('utf8');
  for (const line of text.split('\r\n')) {
    if (line.trim() === '') continue;
    const message = JSON.parse(line) as { id?: unknown; return?: unknown };
    if (message.id === 'query-qmp-schema' && Array.isArray(message.return)) return (cached = message.return as unknown[]);
  }
  throw new Error('schema.jsonl holds no query-qmp-schema reply');
}

/** The model built from {@link schemaInfo72}. */
export function schemaModel72(): SchemaModel {
  return buildSchemaModel(schemaInfo72());
}
