/**
 * Writes JSON the way QEMU 7.2 does (qobject/qjson.c), so relayed messages read as QEMU's.
 *
 * Shared clients get events and replies re-written from the lossless parse, not raw bytes;
 * writing them with QEMU's separators (`": "`, `", "`), its escapes (`\uXXXX` uppercase for
 * anything outside printable ASCII, a surrogate pair beyond the BMP), its `%.17g` doubles and
 * its CRLF makes them byte-identical to what QEMU sent for everything QEMU itself writes
 * (key order is kept from the parse). Only a pretty=on upstream comes out compact.
 */
import type { JsonValue } from '../../common/json-text';

/** One message as QEMU would write it, CRLF included. */
export function qemuMessageText(value: JsonValue): string {
  return `${qemuJson(value)}\r\n`;
}

/** A value as QEMU's compact JSON. */
export function qemuJson(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      return formatDouble(value);
    case 'string':
      return qemuString(value);
    default:
      break;
  }
  // Concatenation, not parts.join: every relayed reply and event passes here.
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let out = `[${qemuJson(value[0]!)}`;
    for (let i = 1; i < value.length; i++) out += `, ${qemuJson(value[i]!)}`;
    return `${out}]`;
  }
  let out = '';
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member !== undefined) out += `${out === '' ? '{' : ', '}${qemuString(key)}: ${qemuJson(member)}`;
  }
  return out === '' ? '{}' : `${out}}`;
}

const PLAIN = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
const SHORT: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

/** A string in QEMU's escaping; a lone surrogate becomes U+FFFD as QEMU's invalid UTF-8 does. */
export function qemuString(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const short = SHORT[cp];
    if (short !== undefined) out += short;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp > 0xffff) out += `\\u${hex4(0xd800 + ((cp - 0x10000) >> 10))}\\u${hex4(0xdc00 + ((cp - 0x10000) & 0x3ff))}`;
    else out += `\\u${hex4(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp)}`;
  }
  return `${out}"`;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/** C's `%.17g`: QEMU prints every double (QNUM_DOUBLE) this way. */
function formatDouble(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e17) return Object.is(n, -0) ? '-0' : String(n);
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan';
  const exp = Number(n.toExponential(16).split('e')[1]);
  if (exp < -4 || exp >= 17) {
    const [mantissa = '', e = '0'] = n.toExponential(16).split('e');
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    return `${stripZeros(mantissa)}e${sign}${digits}`;
  }
  return stripZeros(n.toFixed(16 - exp));
}

function stripZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
