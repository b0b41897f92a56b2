/**
 * Command-line options shared by the desktop app and `npm run web`.
 *
 * Electron and Chromium put their own switches on the command line (`--no-sandbox`,
 * `--inspect=…`, the app path), so the app ignores what it does not know; the web bridge is a
 * plain Node program and refuses unknown options, so typos do not pass silently.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseTarget } from '../core/qmp/target';

/** Parsed options. */
export interface AppArgs {
  /** `--connect TARGET`, repeatable, in order. */
  readonly connect: readonly string[];
  /** `--data-dir DIR`, made absolute. */
  readonly dataDir?: string;
  /** `--demo`: start the demo VM at launch. */
  readonly demo: boolean;
  /** `--port N` (web only; 0 picks a free port). */
  readonly port?: number;
  /** False with `--no-journal`: the event timeline is neither loaded from nor kept on disk. */
  readonly journal: boolean;
  /** `--journal-max-mb N`: the journal's bound on disk, in bytes. */
  readonly journalMaxBytes?: number;
  /** `--event-log-max-mb N`: the bound of the events held in memory, in bytes. */
  readonly eventLogMaxBytes?: number;
  /** `--help` / `-h`. */
  readonly help: boolean;
}

/** Which program is parsing. */
export type ArgsHost = 'electron' | 'web';

/** Usage text of `npm run web`. */
export const WEB_USAGE = `Usage: node out/node/web.cjs [--port N] [--data-dir DIR] [--connect TARGET]... [--demo] [--no-journal] [--journal-max-mb N] [--event-log-max-mb N]
  --connect TARGET  add and connect a VM for this run (unix:PATH, PATH, tcp:HOST:PORT, HOST:PORT)
  --data-dir DIR    folder for connections and settings (default: $XDG_CONFIG_HOME/qmp-monitor)
  --demo            start the local demo VM (qemu-system-x86_64 -M pc -S)
  --port N          port on 127.0.0.1 (default 0: any free port)
  --no-journal      do not keep the event timeline in DIR/journal (nor load it at start)
  --journal-max-mb N  most space the event journal takes on disk (default 200)
  --event-log-max-mb N  most memory the events held for the timeline take (default 256)`;

/** The options both programs know, for `util.parseArgs`. */
const OPTIONS = {
  connect: { type: 'string', multiple: true },
  'data-dir': { type: 'string' },
  demo: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  port: { type: 'string' },
  'no-journal': { type: 'boolean' },
  'journal-max-mb': { type: 'string' },
  'event-log-max-mb': { type: 'string' },
} as const;

/** Largest `--journal-max-mb` (1 TiB): anything above is a typo, not a plan. */
const MAX_JOURNAL_MB = 1024 * 1024;
/** Largest `--event-log-max-mb` (64 GiB of memory). */
const MAX_EVENT_LOG_MB = 64 * 1024;

/**
 * Parses `argv` (without the node/electron executable and script).
 *
 * Node's `util.parseArgs` splits the line, in its lenient mode with tokens: Electron's switches
 * must pass in the app, and each mistake gets a message naming the option and what was expected.
 *
 * @throws Error with a message naming the option and what was expected.
 */
export function parseAppArgs(argv: readonly string[], host: ArgsHost = 'electron'): AppArgs {
  const connect: string[] = [];
  let dataDir: string | undefined;
  let demo = false;
  let help = false;
  let port: number | undefined;
  let journal = true;
  let journalMaxBytes: number | undefined;
  let eventLogMaxBytes: number | undefined;
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    const raw = argv[token.index] ?? '';
    // Only an option written whole counts: a letter inside a short group (`-xh`) is someone else's.
    const ours = token.kind === 'option' && Object.hasOwn(OPTIONS, token.name) && raw.split('=')[0] === token.rawName;
    if (token.kind !== 'option' || !ours) {
      // Electron/Chromium switches and the app path belong to Electron: leave them alone.
      if (host === 'web') throw new Error(`unknown option '${raw}' (see --help)`);
      continue;
    }
    const name = `--${token.name}`;
    const value = OPTIONS[token.name as keyof typeof OPTIONS].type === 'string' ? valueOf(name, token.value, token.inlineValue) : '';
    switch (token.name) {
      case 'connect':
        connect.push(checkTarget(value));
        break;
      case 'data-dir':
        dataDir = resolve(value);
        break;
      case 'demo':
        demo = true;
        break;
      case 'help':
        help = true;
        break;
      case 'port':
        port = parsePort(value, host);
        break;
      case 'no-journal':
        journal = false;
        break;
      case 'journal-max-mb':
        journalMaxBytes = parseMegabytes(name, value, MAX_JOURNAL_MB);
        break;
      case 'event-log-max-mb':
        eventLogMaxBytes = parseMegabytes(name, value, MAX_EVENT_LOG_MB);
        break;
    }
  }
  return {
    connect,
    demo,
    help,
    journal,
    ...(dataDir !== undefined ? { dataDir } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(journalMaxBytes !== undefined ? { journalMaxBytes } : {}),
    ...(eventLogMaxBytes !== undefined ? { eventLogMaxBytes } : {}),
  };
}

/** The value of a string option; the next switch (`--connect --demo`) is a forgotten value. */
function valueOf(name: string, value: string | undefined, inline: boolean | undefined): string {
  if (value === undefined || value === '' || (!inline && value.startsWith('--'))) throw new Error(`${name} needs a value`);
  return value;
}

/**
 * The data folder of `npm run web` when `--data-dir` is not given.
 *
 * Follows the XDG base-directory convention, like the Electron app's own user-data folder.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'qmp-monitor');
}

function checkTarget(value: string): string {
  try {
    parseTarget(value);
  } catch (error) {
    throw new Error(`--connect: ${(error as Error).message}`, { cause: error });
  }
  return value;
}

function parseMegabytes(name: string, value: string, max: number): number {
  if (!/^\d{1,8}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new Error(`${name} expects a whole number of megabytes 1-${max}, got '${value}'`);
  }
  return Number(value) * 1024 * 1024;
}

function parsePort(value: string, host: ArgsHost): number {
  if (host !== 'web') throw new Error('--port only applies to the web bridge (npm run web)');
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new Error(`--port expects a number 0-65535 (0 = any free port), got '${value}'`);
  return Number(value);
}
