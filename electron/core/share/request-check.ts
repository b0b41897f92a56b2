/**
 * Decides what to do with one parsed client message, with QEMU's own checks and wording.
 *
 * Mirrors qapi/qmp-dispatch.c (qmp_dispatch, qmp_dispatch_check_obj) and monitor/qmp.c
 * (capabilities negotiation) of QEMU 7.2, so a shared client sees the errors QEMU would give
 * and nothing malformed ever reaches the real monitor, where one bad message could swallow
 * the app's and other clients' commands (an unbalanced `{`, see the QMP notes).
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../../common/json-text';
import { qemuJson, qemuMessageText } from './qemu-json-text';

/** A client's id: absent, or any JSON value to copy back. */
export type ClientId = { readonly present: false } | { readonly present: true; readonly value: JsonValue };

/** What the connection does with a message. */
export type RequestDecision =
  | { readonly kind: 'answer'; readonly text: string }
  | { readonly kind: 'negotiated'; readonly oob: boolean; readonly text: string }
  | { readonly kind: 'forward'; readonly command: string; readonly args: JsonObject | undefined; readonly oob: boolean; readonly id: ClientId };

/** Where the client is: before negotiation, or after it (with or without oob). */
export interface ClientProtocolState {
  readonly negotiated: boolean;
  readonly oobEnabled: boolean;
  /** Whether our greeting offered oob (upstream negotiated it). */
  readonly oobOffered: boolean;
}

const NO_ID: ClientId = { present: false };

/**
 * A success reply as QEMU writes it (`id` last): what `qemuMessageText` makes of
 * `{ return, id }`, written without building that object, since every relayed reply comes here.
 */
export function returnText(value: JsonValue, id: ClientId): string {
  return id.present ? `{"return": ${qemuJson(value)}, "id": ${qemuJson(id.value)}}\r\n` : `{"return": ${qemuJson(value)}}\r\n`;
}

/** An error reply as QEMU writes it (`id` first). */
export function errorText(errorClass: string, desc: string, id: ClientId): string {
  const error = { class: errorClass, desc };
  return qemuMessageText(id.present ? { id: id.value, error } : { error });
}

/** Checks one parsed message like qmp_dispatch, for a client in `state`. */
export function checkRequest(message: JsonValue, state: ClientProtocolState): RequestDecision {
  if (!isJsonObject(message)) return answer(errorText('GenericError', 'QMP input must be a JSON object', NO_ID));
  const id: ClientId = Object.hasOwn(message, 'id') ? { present: true, value: message['id']! } : NO_ID;
  const allowOob = state.negotiated && state.oobEnabled;
  let command: string | undefined;
  let oob = false;
  for (const key of Object.keys(message)) {
    const value = message[key]!;
    if (key === 'execute' || (key === 'exec-oob' && allowOob)) {
      if (typeof value !== 'string') return generic(`QMP input member '${key}' must be a string`, id);
      if (command !== undefined) return generic(`QMP input member '${key}' is unexpected`, id);
      command = value;
      oob = key === 'exec-oob';
    } else if (key === 'arguments') {
      if (!isJsonObject(value)) return generic("QMP input member 'arguments' must be an object", id);
    } else if (key !== 'id') {
      return generic(`QMP input member '${key}' is unexpected`, id);
    }
  }
  if (command === undefined) return generic("QMP input lacks member 'execute'", id);
  const args = message['arguments'] as JsonObject | undefined;
  if (!state.negotiated) {
    // Before negotiation QEMU knows only qmp_capabilities and rewords CommandNotFound.
    if (command !== 'qmp_capabilities') {
      return answer(errorText('CommandNotFound', "Expecting capabilities negotiation with 'qmp_capabilities'", id));
    }
    return negotiate(args, state, id);
  }
  if (command === 'qmp_capabilities' && !oob) {
    return answer(errorText('CommandNotFound', 'Capabilities negotiation is already complete, command ignored', id));
  }
  return { kind: 'forward', command, args, oob, id };
}

/** qmp_capabilities' own argument checks (the QAPI visitor's wording, quirks included). */
function negotiate(args: JsonObject | undefined, state: ClientProtocolState, id: ClientId): RequestDecision {
  let oob = false;
  if (args !== undefined) {
    for (const key of Object.keys(args)) {
      if (key !== 'enable') return generic(`Parameter '${key}' is unexpected`, id);
    }
    const enable = args['enable'];
    if (enable !== undefined) {
      if (!Array.isArray(enable)) return generic("Invalid parameter type for 'enable', expected: array", id);
      for (const [index, cap] of enable.entries()) {
        if (typeof cap !== 'string') return generic(`Invalid parameter type for 'enable[${index}]', expected: string`, id);
        // QEMU 7.2 names the list element 'null' here: its enum visitor gets no name.
        if (cap !== 'oob') return generic(`Parameter 'null' does not accept value '${cap}'`, id);
      }
      oob = enable.length > 0;
      if (oob && !state.oobOffered) return generic('Capability oob not available', id);
    }
  }
  return { kind: 'negotiated', oob, text: returnText({}, id) };
}

function answer(text: string): RequestDecision {
  return { kind: 'answer', text };
}

function generic(desc: string, id: ClientId): RequestDecision {
  return answer(errorText('GenericError', desc, id));
}
