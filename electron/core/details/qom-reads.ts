/**
 * The QOM browser's reads and its one write, on a connected VM.
 *
 * Browsing (`qom-list` as a node opens, `qom-get` as a property is read) goes straight to the
 * VM's client: the user is looking, not acting, and a tree opened node by node would bury the
 * timeline under command markers. `qom-set` changes the VM, so it takes the console's command
 * path (`VmSession.execute`) and leaves its marker like any command; the value is then read
 * back with `qom-get` so the page shows what QEMU now holds, not what was sent.
 */
import type { CommandOutcome } from '../../common/models';
import { isJsonObject, stringifyJsonLossless, type JsonObject, type JsonValue } from '../../common/json-text';
import type { QomProperty } from '../../common/vm-details-shapes';
import type { QmpClient } from '../qmp/qmp-client';
import { QmpCommandError } from '../qmp/errors';
import { failureOutcome } from '../vm/vm-details';

/** Browsing reads give up after this long. */
const QOM_TIMEOUT_MS = 10_000;

/** The properties of the object at `path`. @throws Error with QEMU's words (e.g. the path is gone). */
export async function qomList(client: QmpClient, path: string): Promise<QomProperty[]> {
  let value: JsonValue;
  try {
    value = await client.execute<JsonValue>('qom-list', { path }, { timeoutMs: QOM_TIMEOUT_MS });
  } catch (error) {
    throw new Error(error instanceof QmpCommandError ? `${error.errorClass}: ${error.desc}` : (error as Error).message, { cause: error });
  }
  if (!Array.isArray(value)) throw new Error('qom-list did not return a list');
  return value.flatMap((entry) =>
    isJsonObject(entry) && typeof entry.name === 'string' && typeof entry.type === 'string' ? [{ name: entry.name, type: entry.type }] : [],
  );
}

/** One property's value as lossless JSON text, or QEMU's error (many properties cannot be read). */
export async function qomGet(client: QmpClient, path: string, property: string): Promise<CommandOutcome> {
  const started = performance.now();
  try {
    const value = await client.execute<JsonValue>('qom-get', { path, property }, { timeoutMs: QOM_TIMEOUT_MS });
    return { ok: true, returnJson: stringifyJsonLossless(value ?? null), durationMs: performance.now() - started };
  } catch (error) {
    return failureOutcome(error, performance.now() - started);
  }
}

/** What a qom-set did: QEMU's answer, and the value read back when it was accepted. */
export interface QomSetResult {
  readonly set: CommandOutcome;
  readonly readBack?: CommandOutcome;
}

/** Sets a property through `execute` (the marked command path), then reads it back through `client`. */
export async function qomSet(
  execute: (command: string, args: JsonObject) => Promise<CommandOutcome>,
  client: () => QmpClient | undefined,
  target: { readonly path: string; readonly property: string; readonly value: JsonValue },
): Promise<QomSetResult> {
  const set = await execute('qom-set', { path: target.path, property: target.property, value: target.value });
  const reader = client();
  if (!set.ok || reader === undefined) return { set };
  return { set, readBack: await qomGet(reader, target.path, target.property) };
}
