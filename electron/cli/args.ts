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
import { execArgsFromWords } from './exec-words';
import { parseListens, type ProxyListen } from './proxy-listen';

/** Default for `--timeout`, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 10;

/** Options shared by every subcommand. */
interface CommonOptions {
  /** `--timeout` in milliseconds. */
  readonly timeoutMs: number;
  /** `--max-message-bytes`, when given (the core's default otherwise). */
  readonly maxMessageBytes: number | undefined;
  /** `-v/--verbose`: say more on the side (the shell echoes the QMP it sends). */
  readonly verbose: boolean;
  /** `--record FILE`: the traffic, both directions, as a recording (common/wire-recording.ts). */
  readonly record: string | undefined;
  /** `--direct`: connect to TARGET itself even when an app or proxy shares it (shared-route.ts). */
  readonly direct: boolean;
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
      /** `--human`: local time with microseconds, the name, then the data. */
      readonly human: boolean;
    })
  | (CommonOptions & ShellOptions & { readonly kind: 'shell'; readonly target: string })
  | (CommonOptions & { readonly kind: 'proxy'; readonly target: string; readonly listen: readonly ProxyListen[] });

/** What only `shell` takes (qmp-shell's -H, -p, -l, and our --check). */
export interface ShellOptions {
  readonly pretty: boolean;
  /** `-H/--hmp`: each line is an HMP command, sent through human-monitor-command. */
  readonly hmp: boolean;
  /** `-l/--log FILE`: each command and its reply, one JSON object per command. */
  readonly log: string | undefined;
  /** `--check`: a piped line the schema finds invalid is refused instead of sent. */
  readonly check: boolean;
}

const SUBCOMMANDS = ['exec', 'events', 'shell', 'proxy'] as const;
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
  pretty: { type: 'boolean', for: ['exec', 'events', 'shell'], short: 'p' },
  verbose: { type: 'boolean', for: ['exec', 'events', 'shell'], short: 'v' },
  record: { type: 'string', for: ['exec', 'events', 'shell'] },
  human: { type: 'boolean', for: ['events'] },
  hmp: { type: 'boolean', for: ['shell'], short: 'H' },
  log: { type: 'string', for: ['shell'], short: 'l' },
  check: { type: 'boolean', for: ['shell'] },
  direct: { type: 'boolean', for: ['exec', 'events', 'shell'] },
  listen: { type: 'string', for: ['proxy'], multiple: true },
} as const satisfies Readonly<Record<string, { type: 'string' | 'boolean'; for: readonly Subcommand[]; multiple?: true; short?: string }>>;
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
  const [first, ...others] = positionals;
  if (first === undefined) throw new UsageError('missing subcommand (exec, events or shell) or TARGET');
  // `qmp-monitor TARGET` alone is the shell, as `qmp-shell SOCKET` is.
  const implicitShell = !isSubcommand(first) && looksLikeTarget(first);
  const sub: string = implicitShell ? 'shell' : first;
  const rest = implicitShell ? positionals : others;
  if (!isSubcommand(sub)) {
    throw new UsageError(`unknown subcommand '${sub}' (expected ${SUBCOMMANDS.join(', ')}, or a TARGET such as ./${sub} or unix:${sub} to open the shell)`);
  }
  for (const name of [...values.keys(), ...flags]) {
    if (!(OPTIONS[name].for as readonly Subcommand[]).includes(sub)) throw new UsageError(`option --${name} does not apply to '${sub}'`);
  }

  const common: CommonOptions = {
    timeoutMs: parseTimeout(values.get('timeout')?.[0]),
    maxMessageBytes: optionalPositiveInt('--max-message-bytes', values.get('max-message-bytes')?.[0]),
    verbose: flags.has('verbose'),
    record: fileOption('--record', values.get('record')?.[0]),
    direct: flags.has('direct'),
  };
  const target = rest[0];
  if (target === undefined || target === '') throw new UsageError(`missing TARGET for '${sub}'`);

  switch (sub) {
    case 'exec': {
      const command = rest[1];
      if (command === undefined || command === '') throw new UsageError("missing COMMAND for 'exec'");
      const problem = commandNameProblem(command);
      if (problem !== undefined) throw new UsageError(`bad COMMAND: ${problem}`);
      const words = rest.slice(2);
      // One JSON object as before (a lone word without `=` is a JSON attempt, worded as one), else key=value words.
      const jsonGiven = words[0] !== undefined && (words[0].trimStart().startsWith('{') || (words.length === 1 && !words[0].includes('=')));
      if (jsonGiven && words.length > 1) throw new UsageError(`too many arguments for 'exec': ${words.slice(1).join(' ')}`);
      const args = words[0] === undefined ? undefined : jsonGiven ? parseArgsJson(words[0]) : execArgsFromWords(command, words);
      return { kind: 'exec', ...common, target, command, args, pretty: flags.has('pretty') };
    }
    case 'events':
      // A recording is one connection's traffic; several would interleave with nothing to tell them apart.
      if (common.record !== undefined && rest.length > 1) throw new UsageError('--record takes one TARGET (record each VM to its own file)');
      if (flags.has('pretty') && flags.has('human')) throw new UsageError('--pretty and --human are two ways to print an event: give one');
      return {
        kind: 'events',
        ...common,
        targets: distinctTargets(rest),
        count: optionalPositiveInt('--count', values.get('count')?.[0]),
        events: eventPatterns(values.get('event') ?? []),
        pretty: flags.has('pretty'),
        human: flags.has('human'),
      };
    case 'shell':
      expectNoExtra(sub, rest);
      return {
        kind: 'shell',
        ...common,
        target,
        pretty: flags.has('pretty'),
        hmp: flags.has('hmp'),
        log: fileOption('--log', values.get('log')?.[0]),
        check: flags.has('check'),
      };
    case 'proxy': {
      expectNoExtra(sub, rest);
      const listen = parseListens(values.get('listen') ?? []);
      if (listen.length === 0) throw new UsageError("'proxy' needs --listen unix:PATH or --listen tcp:127.0.0.1:PORT");
      return { kind: 'proxy', ...common, target, listen };
    }
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
  const parseOptions = Object.fromEntries(Object.entries(OPTIONS).map(([name, o]) => [name, 'short' in o ? { type: o.type, short: o.short } : { type: o.type }]));
  const { tokens } = parseArgs({ args: [...argv], options: parseOptions, allowPositionals: true, strict: false, tokens: true });
  const positionals: string[] = [];
  const values = new Map<OptionName, string[]>();
  const flags = new Set<OptionName>();
  let lastIndex = -1;
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    // A short group (`-Hp`) comes as one token per letter, all with the argument's index.
    const raw = argv[token.index] ?? token.rawName;
    const sameArgument = token.index === lastIndex;
    lastIndex = token.index;
    if (/^-\d/.test(raw)) {
      if (!sameArgument) positionals.push(raw);
      continue;
    }
    const name = token.name;
    const long = token.rawName.startsWith('--');
    if (!isOptionName(name) || (!long && !shortGroupKnown(raw))) throw new UsageError(`unknown option ${long ? raw.split('=')[0] : raw}`);
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

/** The short letters `-X` and where a short group such as `-Hpv` or `-lFILE` is made of them. */
const SHORT_NAMES: ReadonlyMap<string, OptionName> = new Map(
  Object.entries(OPTIONS).flatMap(([name, o]) => ('short' in o ? [[o.short, name as OptionName] as const] : [])),
);

/** True when every letter of a short group is ours, up to a value-taking one (the rest is its value). */
function shortGroupKnown(raw: string): boolean {
  for (const letter of raw.slice(1)) {
    const name = SHORT_NAMES.get(letter);
    if (name === undefined) return false;
    if (OPTIONS[name].type === 'string') return true;
  }
  return raw.length > 1;
}

/**
 * True when `text` reads as a TARGET (a path with `/`, `unix:`, `tcp:`, `HOST:PORT`), so that
 * `qmp-monitor /tmp/vm.sock` opens the shell while a mistyped subcommand is still called one.
 */
function looksLikeTarget(text: string): boolean {
  try {
    parseTarget(text);
    return true;
  } catch {
    return false;
  }
}

/** A FILE option's value; an empty one is a mistake worth saying before anything connects. */
function fileOption(name: string, text: string | undefined): string | undefined {
  if (text === '') throw new UsageError(`option ${name} needs a file name`);
  return text;
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
