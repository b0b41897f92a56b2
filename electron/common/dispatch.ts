/**
 * Validates and routes one untrusted request to its handler.
 *
 * Shared by the Electron IPC host and the WebSocket bridge so both refuse exactly the same
 * inputs: an unknown method or a payload that fails its schema is answered with a clear error
 * and the handler never runs.
 */
import { REQUESTS, type RequestHandlers, type RequestName } from './contract';

/** Outcome of a dispatched request, ready to be sent back over any transport. */
export type DispatchResult = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

/** True when `name` is one of the contract's request channels (own property, not inherited). */
export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(REQUESTS, name);
}

/**
 * Validates `params` against the contract and runs the handler; never throws.
 *
 * Everything here is untrusted, including `name`: `{"method":{"toString":1}}` is valid JSON, and
 * `String()` of it throws, so names and errors are only ever described by {@link describeValue}
 * and the whole body is guarded, so a surprise becomes an answer instead of a rejection.
 */
export async function dispatchRequest(handlers: RequestHandlers, name: unknown, params: unknown): Promise<DispatchResult> {
  try {
    if (!isRequestName(name)) return { ok: false, error: `unknown request ${describeValue(name)}` };
    const parsed = REQUESTS[name].params.safeParse(params ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
      return { ok: false, error: `invalid ${name} request${where}: ${issue?.message ?? 'bad payload'}` };
    }
    const handler = handlers[name] as (p: unknown) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : describeValue(error) };
  }
}

/**
 * A short, safe description of any value for an error message.
 *
 * Strings are quoted (and cut to 80 characters); anything else is named by its type only, since
 * converting a hostile object to text can throw or run its code.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value).slice(0, 80);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'of type array';
  return `of type ${typeof value}`;
}
