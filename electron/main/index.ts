/**
 * Electron main process: app lifecycle only.
 *
 * Everything with logic lives in Electron-free modules next to this file (tested with
 * `electron` mocked); this entry wires them to the real `app`, `protocol`, `session` and
 * `Menu` in the order Electron requires (privileged schemes, sandbox, paths and the
 * single-instance lock before `ready`). Raw `ipcMain` stays inside ipc-host.ts.
 */
import { join, resolve } from 'node:path';
import { app, type BrowserWindow, dialog, Menu, protocol, session } from 'electron';
import { parseAppArgs } from '../hosts/app-args';
import { createMonitorService } from '../core/service/monitor-service';
import type { MonitorServiceHandle } from '../core/service/service-types';
import { buildMenuTemplate } from './app-menu';
import { APP_SCHEME, resolveEntryUrl } from './app-origin';
import { serveAppRequest } from './app-protocol';
import { serveIpcRequests } from './ipc-host';
import { applyNavigationPolicy } from './navigation-policy';
import { forwardPushes } from './push-forwarder';
import { secureSession } from './secure-session';
import { TrustedSenders } from './sender-guard';
import { createShutdown } from './shutdown';
import { connectForwardedTargets, forwardedLaunch, readForwardedTargets } from './single-instance';
import { createMainWindow, focusWindow } from './window';

const APP_USAGE = `Usage: qmp-monitor [--connect TARGET]... [--data-dir DIR] [--demo]
  --connect TARGET  add and connect a VM (unix:PATH, PATH, tcp:HOST:PORT, HOST:PORT); a second
                    launch hands its targets to the running window
  --data-dir DIR    folder for connections, settings and window state (default: the user-data folder)
  --demo            start the local demo VM (qemu-system-x86_64 -M pc -S)`;
const log = (message: string): void => console.error(`[qmp-monitor] ${message}`);
const entryUrl = resolveEntryUrl(app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']);
const rendererDir = join(__dirname, '../renderer');
const preloadPath = join(__dirname, '../preload/index.cjs');

app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

/** Arguments after the executable (and after the app path when run as `electron .`). */
function userArgs(argv: readonly string[]): string[] {
  return argv.slice(process.defaultApp ? 2 : 1);
}

let args: ReturnType<typeof parseAppArgs> | undefined;
try {
  args = parseAppArgs(userArgs(process.argv), 'electron');
} catch (error) {
  console.error(`qmp-monitor: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(2);
}

if (args?.help) {
  console.log(APP_USAGE);
  app.exit(0);
} else if (args) {
  // A separate data folder is a separate instance: it gets its own profile and its own lock.
  if (args.dataDir !== undefined) app.setPath('userData', resolve(args.dataDir));
  if (app.requestSingleInstanceLock({ ...forwardedLaunch(args.connect, process.cwd()) })) {
    void start(args);
  } else {
    app.quit();
  }
}

/** Runs the app; a start-up failure is shown, the service (and demo VM) stopped, then exit 1. */
async function start(launch: NonNullable<typeof args>): Promise<void> {
  let service: MonitorServiceHandle | undefined;
  try {
    service = await run(launch, (created) => (service = created));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`start-up failed: ${message}`);
    dialog.showErrorBox('QMP Monitor could not start', message);
    await service?.dispose().catch(() => undefined);
    app.exit(1);
  }
}

async function run(launch: NonNullable<typeof args>, created: (service: MonitorServiceHandle) => void): Promise<MonitorServiceHandle> {
  // Read by the shutdown hook before it is set (a quit during start-up), so not a const.
  let service: MonitorServiceHandle | undefined = undefined;
  let window: BrowserWindow | null = null;
  const dataDir = app.getPath('userData');
  const shutdown = createShutdown({ dispose: () => service?.dispose(), quit: () => app.quit(), log, timeoutMs: 10_000 });
  app.on('before-quit', (event) => shutdown.onBeforeQuit(event));
  app.on('window-all-closed', () => shutdown.onWindowAllClosed());
  // The one place the navigation policy is applied: Electron emits this for every WebContents
  // (the main window's included, before it loads), so nothing can be created unguarded.
  app.on('web-contents-created', (_event, contents) => applyNavigationPolicy(contents, entryUrl, log));

  let serviceReady: (handle: MonitorServiceHandle) => void = () => undefined;
  const ready = new Promise<MonitorServiceHandle>((resolveReady) => (serviceReady = resolveReady));
  app.on('second-instance', (_event, _argv, _cwd, additionalData) => {
    focusWindow(window);
    const targets = readForwardedTargets(additionalData);
    if (targets.length === 0) return;
    void ready
      .then((handle) => connectForwardedTargets(handle.handlers, targets))
      .then((messages) => messages.forEach(log));
  });

  await app.whenReady();
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));
  secureSession(session.defaultSession, log);
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(process.platform, app.name)));

  service = await createMonitorService({
    dataDir,
    host: 'electron',
    version: app.getVersion(),
    connect: launch.connect,
    demo: launch.demo,
    journal: launch.journal,
    ...(launch.journalMaxBytes !== undefined ? { journalMaxBytes: launch.journalMaxBytes } : {}),
    ...(launch.eventLogMaxBytes !== undefined ? { eventLogMaxBytes: launch.eventLogMaxBytes } : {}),
  });
  created(service);
  serviceReady(service);
  const trusted = new TrustedSenders();
  serveIpcRequests({ handlers: service.handlers, trusted, entryUrl, log });
  forwardPushes(service, trusted, log);
  window = await createMainWindow({ entryUrl, preloadPath, dataDir, trusted, log });
  window.on('closed', () => (window = null));
  return service;
}
