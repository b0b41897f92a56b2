/**
 * The timeline marker for a client coming to or going from a VM's shared endpoint.
 *
 * Other tools' commands are markers already (shared-command-marker.ts); their connects and,
 * above all, their disconnects with the reason belong there too, so a user sees why a tool
 * lost its connection: "qmp-shell (pid 4242) disconnected: too slow: 16 MiB unread (limit 16
 * MiB)". The same words go to the app's stderr (share-control.ts).
 */
import type { ShareClientNote } from '../share/share-types';
import type { AppMarker } from '../vm/app-marker';
import { sharedClientMember } from './shared-command-marker';

/** Builds the `share` marker of one client's connect or disconnect. */
export function sharedClientMarker(note: ShareClientNote): AppMarker {
  return {
    marker: 'share',
    event: note.change === 'connected' ? 'client-connected' : 'client-disconnected',
    data: {
      change: note.change,
      client: sharedClientMember(note.client),
      commands: note.client.commands,
      ...(note.reason !== undefined ? { reason: note.reason } : {}),
    },
  };
}
