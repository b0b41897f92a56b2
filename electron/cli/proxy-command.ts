/**
 * `qmp-monitor proxy TARGET --listen ...`: the shared endpoint as a standalone daemon.
 *
 * For a headless host, a systemd unit or several scripts at once (issue 11): it holds the
 * monitor under the same supervisor as the app (reconnecting when QEMU restarts), shares it
 * through the core's SharedMonitor, registers it so `exec|events|shell TARGET` find it, and
 * logs clients, commands and reasons to stderr. SIGINT/SIGTERM remove the socket and the
 * registry entry before it exits 0; nothing a client sends can end it.
 */
import { QmpSupervisor } from '../core/qmp/supervisor';
import { formatTarget } from '../core/qmp/target';
import { endpointTarget, findHeldTarget, registerHeldTarget } from '../core/share/held-targets';
import { SharedMonitor } from '../core/share/shared-monitor';
import type { ConnectionState } from '../common/models';
import { targetFrom } from './connect';
import { exitAfterFlush, failAndExit, writeLine } from './output';
import type { ProxyListen } from './proxy-listen';

/** What the proxy needs from the command line. */
export interface ProxySettings {
  readonly target: string;
  readonly listen: readonly ProxyListen[];
  readonly timeoutMs: number;
  readonly maxMessageBytes: number | undefined;
}

function log(line: string): void {
  writeLine(process.stderr, `qmp-monitor proxy: ${line}`);
}

/** Runs until a signal; returns once started (the process lives on its sockets). */
export async function runProxy(settings: ProxySettings): Promise<void> {
  const target = targetFrom(settings.target);
  const text = formatTarget(target);
  // QEMU would queue us silently behind the current holder: say who it is instead.
  const holder = await findHeldTarget(text).catch(() => undefined);
  if (holder) {
    failAndExit(new Error(`${text} is already held by ${holder.holder} (pid ${holder.pid}); use its shared endpoint ${endpointTarget(holder.endpoint) ?? '?'}`));
    return;
  }
  const unixPath = settings.listen.find((l) => l.kind === 'unix')?.path;
  const port = settings.listen.find((l) => l.kind === 'tcp')?.port;
  const monitor = new SharedMonitor({
    ...(unixPath !== undefined ? { unixPath } : {}),
    ...(port !== undefined ? { tcp: { host: '127.0.0.1' as const, port } } : {}),
    log,
  });
  try {
    await monitor.listen();
  } catch (error) {
    failAndExit(new Error(`cannot listen: ${(error as Error).message}`));
    return;
  }
  const where = [monitor.endpoint.unixPath !== undefined ? `unix:${monitor.endpoint.unixPath}` : undefined, monitor.endpoint.tcp !== undefined ? `tcp:${monitor.endpoint.tcp}` : undefined];
  log(`listening on ${where.filter((w) => w !== undefined).join(' and ')} for ${text}`);
  let unregister: () => void = () => undefined;
  try {
    unregister = await registerHeldTarget(text, monitor.endpoint, 'qmp-monitor proxy');
  } catch (error) {
    log(`not registered, so the CLI will not find this proxy by itself: ${(error as Error).message}`);
  }
  monitor.onCommand((note) => {
    const who = note.client.pid !== undefined ? `${note.client.processName ?? '?'} (pid ${note.client.pid})` : note.client.id;
    log(`${who}: ${note.command} → ${note.ok ? 'ok' : (note.errorClass ?? 'error')} (${note.durationMs.toFixed(1)} ms)`);
  });

  const budget = Math.max(1000, settings.timeoutMs);
  const supervisor = new QmpSupervisor(target, {
    client: {
      connectTimeoutMs: budget,
      greetingTimeoutMs: budget,
      ...(settings.maxMessageBytes !== undefined ? { maxMessageBytes: settings.maxMessageBytes } : {}),
    },
  });
  let last = '';
  supervisor.onState((state: ConnectionState) => {
    const line = describeState(state);
    if (line !== last) log(line);
    last = line;
  });
  supervisor.onReady((client) => monitor.attach(client));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    unregister();
    void Promise.allSettled([monitor.close(), supervisor.stop()]).then(() => exitAfterFlush(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // A last resort, should the process end another way: the registry entry must not outlive it.
  process.on('exit', () => unregister());
  supervisor.start();
}

function describeState(state: ConnectionState): string {
  switch (state.phase) {
    case 'ready':
      return 'QEMU connected; sharing';
    case 'reconnecting': {
      const wait = state.nextRetryAt !== undefined ? ` in ${Math.max(0, Math.round((state.nextRetryAt - Date.now()) / 100) / 10)} s` : '';
      return `QEMU unreachable (${state.reason ?? 'no reason given'}); retrying${wait}`;
    }
    default:
      return `${state.phase}${state.reason !== undefined ? `: ${state.reason}` : ''}`;
  }
}
