/**
 * The timeline marker for a command another QMP client sent through a VM's shared endpoint.
 *
 * No QMP tool shows what other tools do to a VM; the app holds the monitor, so it can. The
 * marker is the app's `command` marker with `origin: 'shared'` and the client as the OS names
 * it, so the timeline reads "qmp-shell (pid 4242): device_del → ok". It carries no arguments:
 * the endpoint does not hand them over, and a secret typed into another tool stays out of the
 * journal.
 */
import type { JsonObject } from '../../common/json-text';
import type { ShareClientInfo, SharedCommandNote } from '../share/share-types';
import type { AppMarker } from '../vm/app-marker';

/** A marker's `client` member: {id, peer, pid, processName}, each only when known. */
export function sharedClientMember(client: ShareClientInfo): JsonObject {
  return {
    id: client.id,
    peer: client.peer,
    ...(client.pid !== undefined ? { pid: client.pid } : {}),
    ...(client.processName !== undefined ? { processName: client.processName } : {}),
  };
}

/** Builds the `command` marker of one shared client's command. */
export function sharedCommandMarker(note: SharedCommandNote): AppMarker {
  const who = sharedClientMember(note.client);
  const durationMs = Math.round(note.durationMs * 1000) / 1000;
  const result: JsonObject = note.ok
    ? { outcome: 'ok', durationMs }
    : { outcome: 'error', errorClass: note.errorClass ?? 'error', durationMs };
  return {
    marker: 'command',
    event: note.command,
    data: { command: note.command, ...result, origin: 'shared', client: who },
  };
}
