/**
 * How a shared-endpoint client is named for people, in the share panel and on the timeline.
 *
 * One rule in one place, so the client row and its commands' markers say the same thing:
 * the process name as the OS gives it, with its PID (`qmp-shell (pid 4242)`); only the PID
 * when the name is not known; the peer (`tcp 127.0.0.1:5555`, `unix`) when neither is.
 */

/** The parts of a client the name is made of (a snapshot's client or a marker's `client`). */
export interface ShareClientName {
  readonly peer?: string | undefined;
  readonly pid?: number | bigint | undefined;
  readonly processName?: string | undefined;
}

/** `qmp-shell (pid 4242)`, `pid 4242`, `tcp 127.0.0.1:5555`, or `a QMP client`. */
export function shareClientLabel(client: ShareClientName): string {
  const pid = client.pid !== undefined ? `pid ${client.pid}` : undefined;
  if (client.processName) return pid ? `${client.processName} (${pid})` : client.processName;
  return pid ?? (client.peer ? `${client.peer} client` : 'a QMP client');
}
