/**
 * Command-line parsing for `qmp-monitor`.
 *
 * Pure (no process access) so every rule is unit-tested: options may stand before or after
 * the subcommand, as users of qmp-shell and most CLIs expect, and every mistake becomes a
 * `UsageError` that the entry point prints with a hint and exit code 2.
 */
import { parseArgs } from 'node:util';
import { commandNameProblem, MAX_COMMAND_TEXT_LENGTH } from '../common/command-limits';
import { parseJsonLossless, type JsonObject } from '../common/json-text';
import { formatTarget, parseTarget } from '../core/qmp/target';
import { UsageError } from './cli-errors';
import { eventPatternProblem } from './event-filter';

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
  | (CommonOptions & { readonly kind: 'exec'; readonly target: string; readonly command: string; readonly args: JsonObject | undefined; readonly pretty: boolean })
  | (CommonOptions & {
      readonly kind: 'events';
      /** One or more, in the order given (each at most once). */
      readonly targets: readonly string[];
      readonly count: number | undefined;
      /** `--event` patterns; empty means every event. */
      readonly events: readonly string[];
      readonly pretty: boolean;
    })
  | (CommonOptions & { readonly kind: 'shell'; readonly target: string });

const SUBCOMMANDS = ['exec', 'events', 'shell'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/**
 * Every option, for `util.parseArgs`, with the subcommands it makes sense for; `multiple` ones
 * may be given more than once (the others twice is a mistake worth saying).
 */
const OPTIONS = {
  timeout: { type: 'string', for: SUBCOMMANDS },
  'max-message-bytes': { type: 'string', for: SUBCOMMANDS },
  count: { type: 'string', for: ['events'] },
  event: { type: 'string', for: ['events'], multiple: true },
  pretty: { type: 'boolean', for: ['exec', 'events'] },
} as const satisfies Readonly<Record<string, { type: 'string' | 'boolean'; for: readonly Subcommand[]; multiple?: true }>>;
type OptionName = keyof typeof OPTIONS;

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

  const { positionals, values, flags } = scan(argv);
  const [sub, ...rest] = positionals;
  if (sub === undefined) throw new UsageError('missing subcommand (exec, events or shell)');
  if (!isSubcommand(sub)) throw new UsageError(`unknown subcommand '${sub}' (expected exec, events or shell)`);
  for (const name of [...values.keys(), ...flags]) {
    if (!(OPTIONS[name].for as readonly Subcommand[]).includes(sub)) throw new UsageError(`option --${name} does not apply to '${sub}'`);
  }

  const common: CommonOptions = {
    timeoutMs: parseTimeout(values.get('timeout')?.[0]),
    maxMessageBytes: optionalPositiveInt('--max-message-bytes', values.get('max-message-bytes')?.[0]),
  };
  const target = rest[0];
  if (target === undefined || target === '') throw new UsageError(`missing TARGET for '${sub}'`);

  switch (sub) {
    case 'exec': {
      const command = rest[1];
      if (command === undefined || command === '') throw new UsageError("missing COMMAND for 'exec'");
      const problem = commandNameProblem(command);
      if (problem !== undefined) throw new UsageError(`bad COMMAND: ${problem}`);
      if (rest.length > 3) throw new UsageError(`too many arguments for 'exec': ${rest.slice(3).join(' ')}`);
      const args = rest[2] === undefined ? undefined : parseArgsJson(rest[2]);
      return { kind: 'exec', ...common, target, command, args, pretty: flags.has('pretty') };
    }
    case 'events':
      return {
        kind: 'events',
        ...common,
        targets: distinctTargets(rest),
        count: optionalPositiveInt('--count', values.get('count')?.[0]),
        events: eventPatterns(values.get('event') ?? []),
        pretty: flags.has('pretty'),
      };
    case 'shell':
      expectNoExtra(sub, rest);
      return { kind: 'shell', ...common, target };
  }
}

/** What the command line holds, with each option checked for its form (not yet its value). */
interface Scanned {
  readonly positionals: readonly string[];
  /** Each value option's values in order (one, unless the option is `multiple`). */
  readonly values: ReadonlyMap<OptionName, readonly string[]>;
  readonly flags: ReadonlySet<OptionName>;
}

/**
 * Splits `argv` with Node's `util.parseArgs`, in its lenient mode with tokens, so that each
 * mistake gets our own message (and exit 2) instead of Node's, and so that a negative number or
 * `-` stays a positional argument (ARGS_JSON may be `-1`, a mistake the JSON check words better).
 */
function scan(argv: readonly string[]): Scanned {
  const parseOptions = Object.fromEntries(Object.entries(OPTIONS).map(([name, o]) => [name, { type: o.type }]));
  const { tokens } = parseArgs({ args: [...argv], options: parseOptions, allowPositionals: true, strict: false, tokens: true });
  const positionals: string[] = [];
  const values = new Map<OptionName, string[]>();
  const flags = new Set<OptionName>();
  let lastIndex = -1;
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    // A short group (`-abc`) comes as one token per letter, all with the argument's index.
    const raw = argv[token.index] ?? token.rawName;
    if (token.index === lastIndex) continue;
    lastIndex = token.index;
    if (/^-\d/.test(raw)) {
      positionals.push(raw);
      continue;
    }
    const name = token.name;
    if (!isOptionName(name) || !token.rawName.startsWith('--')) throw new UsageError(`unknown option ${raw.split('=')[0]}`);
    if (OPTIONS[name].type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`option --${name} takes no value`);
      flags.add(name);
    } else {
      if (token.value === undefined) throw new UsageError(`option --${name} needs a value`);
      const earlier = values.get(name);
      if (earlier === undefined) values.set(name, [token.value]);
      else if ('multiple' in OPTIONS[name]) earlier.push(token.value);
      else throw new UsageError(`option --${name} given twice`);
    }
  }
  return { positionals, values, flags };
}

function isOptionName(name: string): name is OptionName {
  return Object.hasOwn(OPTIONS, name);
}

function isSubcommand(value: string): value is Subcommand {
  return (SUBCOMMANDS as readonly string[]).includes(value);
}

function expectNoExtra(sub: Subcommand, rest: readonly string[]): void {
  if (rest.length > 1) throw new UsageError(`too many arguments for '${sub}': ${rest.slice(1).join(' ')}`);
}

/**
 * The TARGETs of `events`, each at most once: QEMU serves one client per monitor, so a second
 * connection to the same one would only wait for a greeting that never comes. Spellings of one
 * address (`/s`, `unix:/s`) count as the same; a TARGET that does not parse is left for the
 * connect step to word.
 */
function distinctTargets(targets: readonly string[]): readonly string[] {
  const empty = targets.indexOf('');
  if (empty >= 0) throw new UsageError(`empty TARGET (argument ${empty + 1} after 'events')`);
  const seen = new Map<string, string>();
  for (const text of targets) {
    const key = canonicalTarget(text);
    const earlier = seen.get(key);
    if (earlier === text) throw new UsageError(`TARGET '${text}' given twice`);
    if (earlier !== undefined) throw new UsageError(`TARGETs '${earlier}' and '${text}' are the same monitor`);
    seen.set(key, text);
  }
  return targets;
}

function canonicalTarget(text: string): string {
  try {
    return formatTarget(parseTarget(text));
  } catch {
    return text;
  }
}

function eventPatterns(patterns: readonly string[]): readonly string[] {
  for (const pattern of patterns) {
    const problem = eventPatternProblem(pattern);
    if (problem !== undefined) throw new UsageError(`bad --event: ${problem}`);
  }
  return patterns;
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

function parseArgsJson(text: string): JsonObject {
  if (text.length > MAX_COMMAND_TEXT_LENGTH) throw new UsageError(`ARGS_JSON too long (${text.length} characters; at most ${MAX_COMMAND_TEXT_LENGTH})`);
  let value: unknown;
  try {
    value = parseJsonLossless(text);
  } catch (error) {
    throw new UsageError(`ARGS_JSON is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError('ARGS_JSON must be a JSON object, e.g. \'{"command-line": "info status"}\'');
  }
  return value as JsonObject;
}
