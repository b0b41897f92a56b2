/**
 * A command's signature on one line, shown on hover and while its arguments are typed.
 */
import type { SchemaModel } from './schema-types';
import { describeType } from './type-text';

/**
 * `device_del(id: str)`, `query-status()`, `blockdev-add(driver: enum, node-name?: str, …)`.
 *
 * `?` marks an optional argument; a trailing `…` says a flat union adds members once its tag
 * (e.g. `driver`) is chosen. Undefined for a command the schema does not have.
 */
export function signatureOf(model: SchemaModel, command: string): string | undefined {
  const info = model.commands.get(command);
  if (info === undefined) return undefined;
  const members = info.args?.members ?? [];
  const parts = members.map((member) => `${member.name}${member.optional ? '?' : ''}: ${describeType(member.type)}`);
  if ((info.args?.variants.length ?? 0) > 0) parts.push('…');
  return `${info.name}(${parts.join(', ')})`;
}
