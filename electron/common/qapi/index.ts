/**
 * The QAPI schema model, command parsing, checking and completion: one import for the
 * renderer's console and the CLI's shell, which must agree on every rule.
 */
export { buildSchemaModel, intRangeOf } from './schema-model';
export type * from './schema-types';
export { parseCommandText, commandStart, type ParsedCommand, type ParseError } from './command-text';
export type { ArgumentSpan, TextRange } from './text-range';
export { checkCommandText, checkParsedCommand, OPEN_ARGUMENT_COMMANDS, type CheckOptions, type Diagnostic } from './command-check';
export { completeAt, completeHmpAt, type Completion, type CompletionOption } from './completion';
export { signatureOf } from './signature';
export { describeType, memberDetail, membersFor } from './type-text';
export { parseShorthand, parseShorthandRanged, ShorthandError, type ShorthandCommand } from './shorthand';
