/**
 * The timeline's one-line summary of a `share` marker: a client of a VM's shared endpoint
 * came or went, named as the share panel names it, with the reason it went.
 */
import { describe, expect, it } from 'vitest';
import { eventKind, eventSummary } from '../../../renderer/src/features/timeline/event-kinds';
import { sharedClientMarker } from '../../../electron/core/service/shared-client-marker';
import { stringifyJsonLossless } from '../../../electron/common/json-text';

const client = { id: 'c2', peer: 'unix', pid: 4242, processName: 'qmp-shell', connectedAt: 0, commands: 3 };

function summary(note: Parameters<typeof sharedClientMarker>[0]): string {
  const marker = sharedClientMarker(note);
  return eventSummary({ event: marker.event, marker: marker.marker, dataJson: stringifyJsonLossless(marker.data) });
}

describe('share markers on the timeline', () => {
  it('names the client and says why it was cut off', () => {
    expect(summary({ change: 'disconnected', client, reason: 'too slow: 16 MiB unread (limit 16 MiB)', at: 1 })).toBe(
      'qmp-shell (pid 4242) disconnected: too slow: 16 MiB unread (limit 16 MiB)',
    );
    expect(summary({ change: 'connected', client, at: 1 })).toBe('qmp-shell (pid 4242) connected through the shared endpoint');
  });

  it('falls back to the peer when the OS did not name the process, and is an app marker', () => {
    const anonymous = { id: 'c1', peer: 'tcp 127.0.0.1:5555', connectedAt: 0, commands: 0 };
    expect(summary({ change: 'disconnected', client: anonymous, reason: 'QEMU is gone: closed', at: 1 })).toBe('tcp 127.0.0.1:5555 client disconnected: QEMU is gone: closed');
    expect(eventKind('client-disconnected', 'share')).toBe('marker');
  });
});
