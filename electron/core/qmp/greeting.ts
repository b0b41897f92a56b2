/**
 * Validates QEMU's unprompted greeting.
 *
 * Anything else on a socket (a serial console, an HMP monitor, another service) sends a
 * different first message or none; checking the shape tells the user they typed the wrong path.
 */
import { QmpProtocolError } from './errors';
import { isJsonObject, type JsonObject, type JsonValue } from '../../common/json-text';
import type { QmpGreeting } from './types';

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? `an object with keys ${Object.keys(value).slice(0, 5).join(', ') || '(none)'}` : `a ${typeof value}`;
}

/**
 * Turns the first message into a typed greeting.
 *
 * @throws QmpProtocolError naming the part that did not match, because "not a QMP monitor"
 *   alone does not help someone who pointed us at the wrong socket.
 */
export function parseGreeting(message: JsonObject): QmpGreeting {
  const qmp = message['QMP'];
  if (!isJsonObject(qmp)) {
    throw new QmpProtocolError(`expected a QMP greeting {"QMP": {...}} but got ${describe(message)}; is this a QMP monitor socket?`);
  }
  const version = qmp['version'];
  const qemu = isJsonObject(version) ? version['qemu'] : undefined;
  if (!isJsonObject(version) || !isJsonObject(qemu)) {
    throw new QmpProtocolError(`QMP greeting has no version.qemu object (got ${describe(version)})`);
  }
  const { major, minor, micro } = qemu;
  if (typeof major !== 'number' || typeof minor !== 'number' || typeof micro !== 'number') {
    throw new QmpProtocolError('QMP greeting version.qemu needs numeric major, minor and micro');
  }
  const pkg = version['package'];
  const capabilities = qmp['capabilities'];
  if (!Array.isArray(capabilities) || !capabilities.every((c) => typeof c === 'string')) {
    throw new QmpProtocolError(`QMP greeting capabilities must be an array of strings (got ${describe(capabilities)})`);
  }
  return {
    version: { qemu: { major, minor, micro }, package: typeof pkg === 'string' ? pkg : '' },
    capabilities: capabilities,
  };
}
