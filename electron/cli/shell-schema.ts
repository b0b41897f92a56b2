/**
 * The connected QEMU's schema for the shell: read once per session (`query-qmp-schema`), then
 * used for completion and for the check before sending.
 *
 * The schema is the QEMU's own, so the check knows exactly the commands and arguments this
 * build accepts (a 7.2 and an 8.0 differ). Reading it costs one 200 KB reply at start; a QEMU
 * that refuses it (an old build, a peer that is not QEMU) leaves the shell working without
 * checks, saying why.
 */
import { stringifyJsonLossless, type JsonObject } from '../common/json-text';
import { checkCommandText, type Diagnostic } from '../common/qapi/command-check';
import { buildSchemaModel, type SchemaModel } from '../common/qapi/schema-model';
import type { QmpClient } from '../core/qmp/qmp-client';
import { describeError } from './cli-errors';
import type { ShellCommand } from './shell-line';

/** The schema model, or why there is none. */
export type ShellSchema = { readonly model: SchemaModel } | { readonly unavailable: string };

/** Reads and models the schema; never throws. */
export async function loadShellSchema(client: QmpClient, timeoutMs: number): Promise<ShellSchema> {
  try {
    const info = await client.execute('query-qmp-schema', undefined, { timeoutMs });
    if (!Array.isArray(info)) return { unavailable: 'query-qmp-schema did not return a list' };
    return { model: buildSchemaModel(info) };
  } catch (error) {
    return { unavailable: `query-qmp-schema failed: ${describeError(error)}` };
  }
}

/**
 * What the schema says is wrong with `cmd` (errors first, then warnings such as a deprecated
 * command). The command is checked as the JSON it becomes, so a shorthand line, a JSON line
 * and a `transaction(` block are judged by the same rules.
 */
export function commandProblems(model: SchemaModel, cmd: ShellCommand, oobNegotiated: boolean): Diagnostic[] {
  const json: JsonObject = { [cmd.oob ? 'exec-oob' : 'execute']: cmd.command };
  if (cmd.args !== undefined) json['arguments'] = cmd.args;
  const found = checkCommandText(model, stringifyJsonLossless(json), { oobNegotiated });
  return [...found.filter((d) => d.severity === 'error'), ...found.filter((d) => d.severity !== 'error')];
}

/** The problems as one line: `unknown argument 'x'; missing required argument 'id'`. */
export function problemText(problems: readonly Diagnostic[]): string {
  return problems.map((d) => d.message).join('; ');
}
