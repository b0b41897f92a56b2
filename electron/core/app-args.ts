/**
 * Command-line options shared by the desktop app and `npm run web`.
 *
 * Electron and Chromium put their own switches on the command line (`--no-sandbox`,
 * `--inspect=…`, the app path), so the app ignores what it does not know; the web bridge is a
 * plain Node program and refuses unknown options, so typos do not pass silently.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseTarget } from './qmp/target';

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
  /** `--host H` (web only; loopback names only). */
  readonly host?: '127.0.0.1' | 'localhost';
  /** `--help` / `-h`. */
  readonly help: boolean;
}

/** Which program is parsing. */
export type ArgsHost = 'electron' | 'web';

/** Usage text of `npm run web`. */
export const WEB_USAGE = `Usage: node out/node/web.cjs [--port N] [--host 127.0.0.1|localhost] [--data-dir DIR] [--connect TARGET]... [--demo]
  --connect TARGET  add and connect a VM for this run (unix:PATH, PATH, tcp:HOST:PORT, HOST:PORT)
  --data-dir DIR    folder for connections and settings (default: $XDG_CONFIG_HOME/qmp-monitor)
  --demo            start the local demo VM (qemu-system-x86_64 -M pc -S)
  --port N          port on 127.0.0.1 (default 0: any free port)
  --host H          loopback name to serve on; other interfaces are refused`;

const WITH_VALUE = new Set(['--connect', '--data-dir', '--port', '--host']);

/**
 * Parses `argv` (without the node/electron executable and script).
 *
 * @throws Error with a message naming the option and what was expected.
 */
export function parseAppArgs(argv: readonly string[], host: ArgsHost = 'electron'): AppArgs {
  const connect: string[] = [];
  let dataDir: string | undefined;
  let demo = false;
  let help = false;
  let port: number | undefined;
  let bindHost: AppArgs['host'];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined;
    if (WITH_VALUE.has(name)) {
      value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new Error(`${name} needs a value`);
    }
    switch (name) {
      case '--connect':
        connect.push(checkTarget(value!));
        break;
      case '--data-dir':
        dataDir = resolve(value!);
        break;
      case '--demo':
        demo = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      case '--port':
        port = parsePort(value!, host);
        break;
      case '--host':
        bindHost = parseHost(value!, host);
        break;
      default:
        if (host === 'web') throw new Error(`unknown option '${arg}' (see --help)`);
      // Electron/Chromium switches and the app path belong to Electron: leave them alone.
    }
  }
  return { connect, demo, help, ...(dataDir !== undefined ? { dataDir } : {}), ...(port !== undefined ? { port } : {}), ...(bindHost ? { host: bindHost } : {}) };
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
    throw new Error(`--connect: ${(error as Error).message}`);
  }
  return value;
}

function parsePort(value: string, host: ArgsHost): number {
  if (host !== 'web') throw new Error('--port only applies to the web bridge (npm run web)');
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new Error(`--port expects a number 0-65535 (0 = any free port), got '${value}'`);
  return Number(value);
}

function parseHost(value: string, host: ArgsHost): '127.0.0.1' | 'localhost' {
  if (host !== 'web') throw new Error('--host only applies to the web bridge (npm run web)');
  if (value === '127.0.0.1' || value === 'localhost') return value;
  throw new Error(`--host '${value}' refused: the web bridge serves loopback only (127.0.0.1 or localhost), because it can control VMs`);
}
