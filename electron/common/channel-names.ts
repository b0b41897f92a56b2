/**
 * Channel names of the IPC contract, without any schema code.
 *
 * The sandboxed preload must stay one small CommonJS file, so it cannot pull zod in through
 * `contract.ts`. It imports these plain lists instead; `contract.ts` re-exports them and its
 * `satisfies` clauses make the compiler reject any drift between the lists and the schemas.
 */

/** Bumped on any incompatible change to the contract; the web bridge's hello compares it. */
export const API_VERSION = 3;

/** Every request channel, in contract order. */
export const REQUEST_CHANNELS = [
  'getAppInfo',
  'listVms',
  'addVm',
  'updateVm',
  'removeVm',
  'connectVm',
  'disconnectVm',
  'executeCommand',
  'getEvents',
  'ackEvents',
  'getDemo',
  'startDemo',
  'stopDemo',
  'listDiscovered',
  'getDiscoveryFolders',
  'setDiscoveryFolders',
  'getHistory',
  'addHistory',
  'setVmSharing',
  'getSchema',
  'getHmpCommands',
  'getWire',
  'dismissJob',
  'watchSamples',
  'getSamples',
  'getScreenshot',
  'qomList',
  'qomGet',
  'qomSet',
] as const;

/** Every push channel (main → renderer). */
export const PUSH_CHANNELS = ['vmChanged', 'vmRemoved', 'events', 'demoChanged', 'discoveryChanged'] as const;

/** A request channel name. */
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
/** A push channel name. */
export type PushChannel = (typeof PUSH_CHANNELS)[number];

/** Channel prefix for Electron IPC; requests use `qmp:<name>`, pushes `qmp:push:<name>`. */
export const IPC_PREFIX = 'qmp:';

/** The Electron IPC channel that carries one push channel's payloads. */
export function pushIpcChannel(name: PushChannel): string {
  return `${IPC_PREFIX}push:${name}`;
}
