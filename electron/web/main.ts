/**
 * `npm run web`: the QMP Monitor UI in a browser, over the same core as the desktop app.
 *
 * Prints exactly one line, `QMP Monitor: http://127.0.0.1:PORT/?token=…`, once ready, so
 * scripts and tests can pick the URL up. SIGINT/SIGTERM stop the demo VM and exit 0.
 */
import { resolve } from 'node:path';
import { version } from '../../package.json';
import { parseAppArgs, defaultDataDir, WEB_USAGE } from '../hosts/app-args';
import { createMonitorService } from '../core/service/monitor-service';
import type { MonitorServiceHandle } from '../core/service/service-types';
import { startWebServer, type WebServer } from './web-server';

async function main(): Promise<void> {
  let args;
  try {
    args = parseAppArgs(process.argv.slice(2), 'web');
  } catch (error) {
    process.stderr.write(`qmp-monitor web: ${(error as Error).message}\n${WEB_USAGE}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`${WEB_USAGE}\n`);
    return;
  }
  // Signals are handled from the start, so a Ctrl-C during start-up still stops the demo VM.
  let service: MonitorServiceHandle | undefined;
  let server: WebServer | undefined;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void Promise.allSettled([server?.close(), service?.dispose()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  service = await createMonitorService({
    dataDir: args.dataDir ?? defaultDataDir(),
    host: 'web',
    version,
    connect: args.connect,
    demo: args.demo,
    journal: args.journal,
    ...(args.journalMaxBytes !== undefined ? { journalMaxBytes: args.journalMaxBytes } : {}),
    ...(args.eventLogMaxBytes !== undefined ? { eventLogMaxBytes: args.eventLogMaxBytes } : {}),
  });
  try {
    server = await startWebServer({
      service,
      rendererDir: process.env.QMP_MONITOR_RENDERER_DIR ?? resolve(__dirname, '..', 'renderer'),
      port: args.port ?? 0,
    });
  } catch (error) {
    // The service may already own a demo QEMU: never leave it behind.
    await service.dispose();
    throw error;
  }
  if (stopping) return;
  process.stdout.write(`QMP Monitor: ${server.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`qmp-monitor web: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
