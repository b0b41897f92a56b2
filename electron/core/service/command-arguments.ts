/**
 * Turns the console's argument text into a QMP arguments object.
 *
 * Parsed losslessly so a 64-bit value typed by the user reaches QEMU digit for digit.
 */
import { isJsonObject, parseJsonLossless, type JsonObject } from '../../common/json-text';

/** Parsed arguments, or why they were refused. */
export type ParsedArguments = { readonly ok: true; readonly value: JsonObject | undefined } | { readonly ok: false; readonly reason: string };

/** Parses `argumentsJson`; absent or blank text means "no arguments". */
export function parseCommandArguments(text: string | undefined): ParsedArguments {
  if (text === undefined || text.trim() === '') return { ok: true, value: undefined };
  let value;
  try {
    value = parseJsonLossless(text);
  } catch (error) {
    return { ok: false, reason: `arguments are not valid JSON: ${(error as Error).message}` };
  }
  if (!isJsonObject(value)) {
    return { ok: false, reason: 'arguments must be a JSON object, e.g. {"device": "ide1-cd0"}' };
  }
  return { ok: true, value };
}
