/**
 * Reads a connected VM's QAPI schema and HMP command names through the per-build cache.
 *
 * The reads go straight to the VM's QMP client, not through the console's command path, so
 * they leave no command marker in the timeline: the user did not ask for them.
 */
import { stringifyJsonLossless, type JsonValue } from '../../common/json-text';
import type { QmpClient } from '../qmp/qmp-client';
import { greetingInfo } from '../vm/vm-reads';
import { BuildCache, type QemuBuild } from './build-cache';
import { parseHmpHelp } from './hmp-help';

/** Long enough for a 207 KB reply from a QEMU on a busy machine. */
const READ_TIMEOUT_MS = 30_000;

/** The schema of one build, as JSON text (lossless) with the version it is for. */
export interface SchemaReply {
  readonly schemaJson: string;
  readonly qemu: string;
  readonly package: string;
}

/** HMP command names of one build (`info status`-style subcommands included). */
export interface HmpCommandsReply {
  readonly names: string[];
  readonly qemu: string;
}

/** Schema and HMP names per build, cached in the data folder. */
export class SchemaReader {
  private readonly cache: BuildCache;

  public constructor(dataDir: string, saving: () => boolean = () => true) {
    this.cache = new BuildCache(dataDir, saving);
  }

  /** `query-qmp-schema` of the build `client` is connected to. */
  public async schema(client: QmpClient): Promise<SchemaReply> {
    const build = buildOf(client);
    const schemaJson = await this.cache.get('qmp-schema', build, async () => {
      const value = await client.execute<JsonValue>('query-qmp-schema', undefined, { timeoutMs: READ_TIMEOUT_MS });
      if (!Array.isArray(value)) throw new Error('query-qmp-schema did not return a list');
      return stringifyJsonLossless(value);
    });
    return { schemaJson, qemu: build.version, package: build.package };
  }

  /** HMP `help` and `help info`, parsed into command names. */
  public async hmpCommands(client: QmpClient): Promise<HmpCommandsReply> {
    const build = buildOf(client);
    const text = await this.cache.get('hmp-commands', build, async () => {
      const [top, info] = await Promise.all([hmp(client, 'help'), hmp(client, 'help info')]);
      return JSON.stringify([...parseHmpHelp(top), ...parseHmpHelp(info, 'info ')]);
    });
    const parsed = JSON.parse(text) as unknown;
    const names = Array.isArray(parsed) ? parsed.filter((name): name is string => typeof name === 'string') : [];
    return { names, qemu: build.version };
  }
}

function buildOf(client: QmpClient): QemuBuild {
  const info = greetingInfo(client.greeting);
  return { version: info.version, package: info.package };
}

async function hmp(client: QmpClient, commandLine: string): Promise<string> {
  const value = await client.execute<JsonValue>('human-monitor-command', { 'command-line': commandLine }, { timeoutMs: READ_TIMEOUT_MS });
  // HMP always answers with one string; anything else has no command names in it.
  return typeof value === 'string' ? value : '';
}

/** The QMP client of a connected VM; throws (an RPC error for the page) when it is not connected. */
export function connectedClient(vms: { get(id: string): { readonly client: QmpClient | undefined; readonly snapshot: { readonly connection: { readonly phase: string } } } }, vmId: string): QmpClient {
  const session = vms.get(vmId);
  const client = session.client;
  if (client === undefined) throw new Error(`the VM is not connected (${session.snapshot.connection.phase})`);
  return client;
}
