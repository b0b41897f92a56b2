/**
 * Command-line parsing for `qmp-monitor`.
 *
 * Pure (no process access) so every rule is unit-tested: options may stand before or after
 * the subcommand, as users of qmp-shell and most CLIs expect, and every mistake becomes a
 * `UsageError` that the entry point prints with a hint and exit code 2.
 */
import { parseQmpJsonText } from '../core/qmp/lossless-json';
import type { QmpObject } from '../core/qmp/types';
import { UsageError } from './cli-errors';

/** Default for `--timeout`, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 10;

/** Options shared by every subcommand. */
interface CommonOptions {
  /** `--timeout` in milliseconds. */
  readonly timeoutMs: number;
  /** `--max-message-bytes`, when given (the core's default otherwise). */
  readonly maxMessageBytes: number | undefined;
}

/** What the user asked for, fully validated. */
export type CliInvocation =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | (CommonOptions & { readonly kind: 'exec'; readonly target: string; readonly command: string; readonly args: QmpObject | undefined; readonly pretty: boolean })
  | (CommonOptions & { readonly kind: 'events'; readonly target: string; readonly count: number | undefined })
  | (CommonOptions & { readonly kind: 'shell'; readonly target: string });

const SUBCOMMANDS = ['exec', 'events', 'shell'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** Options that take a value, and the subcommands they make sense for. */
const VALUE_OPTIONS: Readonly<Record<string, readonly Subcommand[]>> = {
  '--timeout': SUBCOMMANDS,
  '--max-message-bytes': SUBCOMMANDS,
  '--count': ['events'],
};
const FLAG_OPTIONS: Readonly<Record<string, readonly Subcommand[]>> = { '--pretty': ['exec'] };

/**
 * Parses `argv` (without node and script path) into a validated invocation.
 *
 * `--help`/`--version` win over everything else so that a user who is lost always gets help.
 *
 * @throws UsageError for anything the user must fix.
 */
export function parseCliArgs(argv: readonly string[]): CliInvocation {
  if (argv.some((a) => a === '--help' || a === '-h') || argv[0] === 'help') return { kind: 'help' };
  if (argv.some((a) => a === '--version' || a === '-V')) return { kind: 'version' };

  const positionals: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name in FLAG_OPTIONS) {
      if (eq > 0) throw new UsageError(`option ${name} takes no value`);
      flags.add(name);
    } else if (name in VALUE_OPTIONS) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`option ${name} needs a value`);
      if (values.has(name)) throw new UsageError(`option ${name} given twice`);
      values.set(name, value);
    } else {
      throw new UsageError(`unknown option ${name}`);
    }
  }

  const [sub, ...rest] = positionals;
  if (sub === undefined) throw new UsageError('missing subcommand (exec, events or shell)');
  if (!isSubcommand(sub)) throw new UsageError(`unknown subcommand '${sub}' (expected exec, events or shell)`);
  for (const name of [...values.keys(), ...flags]) {
    const allowed = VALUE_OPTIONS[name] ?? FLAG_OPTIONS[name] ?? [];
    if (!allowed.includes(sub)) throw new UsageError(`option ${name} does not apply to '${sub}'`);
  }

  const common: CommonOptions = {
    timeoutMs: parseTimeout(values.get('--timeout')),
    maxMessageBytes: optionalPositiveInt('--max-message-bytes', values.get('--max-message-bytes')),
  };
  const target = rest[0];
  if (target === undefined || target === '') throw new UsageError(`missing TARGET for '${sub}'`);

  switch (sub) {
    case 'exec': {
      const command = rest[1];
      if (command === undefined || command === '') throw new UsageError("missing COMMAND for 'exec'");
      if (rest.length > 3) throw new UsageError(`too many arguments for 'exec': ${rest.slice(3).join(' ')}`);
      const args = rest[2] === undefined ? undefined : parseArgsJson(rest[2]);
      return { kind: 'exec', ...common, target, command, args, pretty: flags.has('--pretty') };
    }
    case 'events':
      expectNoExtra(sub, rest);
      return { kind: 'events', ...common, target, count: optionalPositiveInt('--count', values.get('--count')) };
    case 'shell':
      expectNoExtra(sub, rest);
      return { kind: 'shell', ...common, target };
  }
}

function isSubcommand(value: string): value is Subcommand {
  return (SUBCOMMANDS as readonly string[]).includes(value);
}

function expectNoExtra(sub: Subcommand, rest: readonly string[]): void {
  if (rest.length > 1) throw new UsageError(`too many arguments for '${sub}': ${rest.slice(1).join(' ')}`);
}

/** Seconds as the user writes them (`10`, `0.5`), returned in milliseconds. */
function parseTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(text) ? Number(text) : Number.NaN;
  // setTimeout overflows past 2^31-1 ms and fires at once, so cap at ~24 days.
  if (!(seconds > 0) || seconds * 1000 > 2 ** 31 - 1) {
    throw new UsageError(`bad --timeout '${text}': expected a number of seconds > 0`);
  }
  return Math.max(1, Math.round(seconds * 1000));
}

function optionalPositiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`bad ${name} '${text}': expected a whole number >= 1`);
  return value;
}

function parseArgsJson(text: string): QmpObject {
  let value: unknown;
  try {
    value = parseQmpJsonText(text);
  } catch (error) {
    throw new UsageError(`ARGS_JSON is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError('ARGS_JSON must be a JSON object, e.g. \'{"command-line": "info status"}\'');
  }
  return value as QmpObject;
}
