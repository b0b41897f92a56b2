/**
 * Opening a QMP connection from the CLI, bounded by `--timeout`.
 *
 * The core has separate connect and greeting timeouts; a CLI user gave one number, so both get
 * what is left of it, and the caller arms one overall deadline as the backstop.
 */
import { QmpClient, type WireTap } from '../core/qmp/qmp-client';
import { parseTarget } from '../core/qmp/target';
import type { QmpTarget } from '../core/qmp/types';
import { UsageError } from './cli-errors';
import { sharedRouteFor } from './shared-route';
import { failAndExit } from './output';

/** Settings shared by the subcommands that connect. */
export interface ConnectSettings extends ConnectLimits {
  readonly target: string;
}

/** How long and how much connecting may take, whatever the target. */
export interface ConnectLimits {
  readonly timeoutMs: number;
  readonly maxMessageBytes: number | undefined;
  /** Sees the traffic as it crosses the socket (`--record`, `--verbose`). */
  readonly onWire?: WireTap | undefined;
  /** `--direct`: never go through a shared endpoint (see shared-route.ts). */
  readonly direct?: boolean;
  /** `--verbose`: say on stderr when a shared endpoint is used. */
  readonly verbose?: boolean;
}

/** Parses TARGET, turning the core's complaint into a usage error (exit 2 with a hint). */
export function targetFrom(text: string): QmpTarget {
  try {
    return parseTarget(text);
  } catch (error) {
    throw new UsageError(`bad TARGET '${text}': ${(error as Error).message}`);
  }
}

/** Connects and negotiates, giving the core `budgetMs` for each of its phases. */
export async function connectClient(target: QmpTarget, settings: ConnectLimits, budgetMs: number): Promise<QmpClient> {
  const ms = Math.max(1, Math.floor(budgetMs));
  const shared = settings.direct === true ? undefined : await sharedRouteFor(target, settings.verbose === true);
  return QmpClient.connect(shared ?? target, {
    connectTimeoutMs: ms,
    greetingTimeoutMs: ms,
    ...(settings.maxMessageBytes === undefined ? {} : { maxMessageBytes: settings.maxMessageBytes }),
    ...(settings.onWire === undefined ? {} : { onWire: settings.onWire }),
  });
}

/** Human form of a millisecond timeout, as the user typed it (seconds). */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/**
 * Connects to `target` (typed as `text`) within `settings.timeoutMs` or rejects: the core gets a little less so its
 * more specific message usually wins, and our own deadline is the backstop. A client that
 * still arrives after the backstop fired is closed, so nothing lingers in a run that goes on
 * (`events` with other targets).
 */
export async function connectWithin(text: string, target: QmpTarget, settings: ConnectLimits): Promise<QmpClient> {
  const attempt = connectClient(target, settings, settings.timeoutMs - 100);
  let backstop: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    backstop = setTimeout(() => {
      reject(new Error(`timed out after ${seconds(settings.timeoutMs)} connecting to ${text}`));
      attempt.then((client) => void client.close(), () => undefined);
    }, settings.timeoutMs);
  });
  try {
    return await Promise.race([attempt, late]);
  } finally {
    clearTimeout(backstop);
  }
}

/**
 * Connects for a long-running subcommand (`shell`), where `--timeout` bounds only connecting:
 * on failure or when the deadline passes it prints one `error:` line and ends the process, so
 * callers get a client or never return.
 */
export async function connectOrExit(settings: ConnectSettings): Promise<QmpClient | undefined> {
  const target = targetFrom(settings.target);
  try {
    return await connectWithin(settings.target, target, settings);
  } catch (error) {
    failAndExit(error);
    return undefined;
  }
}
