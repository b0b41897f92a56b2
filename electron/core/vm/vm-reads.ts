/**
 * The reads that fill a VM snapshot: identity, run state and status-panel details.
 *
 * Each read is bounded by a timeout so a hung QEMU cannot leave a read pending forever, and
 * none throws: a failed read leaves the field as it was (identity, status) or records why
 * (details).
 */
import type { DetailField, DetailKey, RunState, VmSnapshot } from '../../common/models';
import type { QmpClient } from '../qmp/qmp-client';
import { isJsonObject, type JsonValue } from '../../common/json-text';
import type { QmpGreeting } from '../qmp/types';
import { DETAIL_COMMANDS, detailField } from './vm-details';

/** Reads for the status panel give up after this long. */
const READ_TIMEOUT_MS = 10_000;
/** A query-status reply that raced with run-state events is retried this many times. */
const STATUS_RETRIES = 5;

/** Version, package and capabilities as the snapshot shows them. */
export function greetingInfo(greeting: QmpGreeting): NonNullable<VmSnapshot['qemu']> {
  const { qemu } = greeting.version;
  return { version: `${qemu.major}.${qemu.minor}.${qemu.micro}`, package: greeting.version.package, capabilities: [...greeting.capabilities] };
}

/** query-name and query-uuid; absent values (no `-name`) stay undefined. */
export async function readIdentity(client: QmpClient): Promise<{ name: string | undefined; uuid: string | undefined }> {
  const [name, uuid] = await Promise.allSettled([
    client.execute<JsonValue>('query-name', undefined, { timeoutMs: READ_TIMEOUT_MS }),
    client.execute<JsonValue>('query-uuid', undefined, { timeoutMs: READ_TIMEOUT_MS }),
  ]);
  return {
    name: name.status === 'fulfilled' ? field(name.value, 'name') : undefined,
    uuid: uuid.status === 'fulfilled' ? field(uuid.value, 'UUID') : undefined,
  };
}

/**
 * Reads query-status; undefined when the read failed.
 *
 * A reply and an event can be handed to us in either order even though QEMU wrote them in
 * one, so if a run-state event arrived while the read was in flight the reply may be older
 * than the event: read again, and only trust a reply with no event around it. `source` says
 * what asked for the read (e.g. `query-status (after STOP event)`).
 */
export async function readRunState(client: QmpClient, runStateEvents: () => number, source = 'query-status'): Promise<RunState | undefined> {
  for (let attempt = 0; attempt < STATUS_RETRIES; attempt += 1) {
    const before = runStateEvents();
    let reply: JsonValue;
    try {
      reply = await client.execute<JsonValue>('query-status', undefined, { timeoutMs: READ_TIMEOUT_MS });
    } catch {
      return undefined; // The connection dropped or QEMU hangs: the next ready reads it again.
    }
    // Still racing after several tries: the events already said what happened, keep theirs.
    if (runStateEvents() !== before) continue;
    const status = field(reply, 'status');
    const running = isJsonObject(reply) && typeof reply.running === 'boolean' ? reply.running : status === 'running';
    return { status: status ?? 'unknown', running, updatedAt: Date.now(), source };
  }
  return undefined;
}

/** Reads the given details in parallel. */
export async function readDetails(client: QmpClient, keys: readonly DetailKey[]): Promise<Partial<Record<DetailKey, DetailField>>> {
  const entries = await Promise.all(
    keys.map(async (key) => {
      try {
        const value = await client.execute<JsonValue>(DETAIL_COMMANDS[key], undefined, { timeoutMs: READ_TIMEOUT_MS });
        return [key, detailField({ ok: true, value })] as const;
      } catch (error) {
        return [key, detailField({ ok: false, error })] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

function field(value: JsonValue, key: string): string | undefined {
  if (!isJsonObject(value)) return undefined;
  const found = value[key];
  return typeof found === 'string' ? found : undefined;
}
