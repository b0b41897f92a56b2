/**
 * Forwards the service's push notifications to the trusted, live windows.
 *
 * The service already coalesces bursts (an event flood becomes one `events` push per window
 * of time), so this only fans out. A failing send (window torn down mid-send, payload that
 * cannot be cloned) is logged and must not stop delivery to other windows or later pushes.
 *
 * Electron IPC has no buffered-amount to read, so the `events` flow is held to what the page
 * acknowledges (`ackEvents`, see core/service/event-flow.ts): a page that falls behind gets a
 * `behind` notice and pulls from the log instead of pushes piling up here. This forwarder is one
 * subscription for the app's one window; a second window would share its flow and its acks
 * (it still misses nothing, since every push is sent to both).
 */
import { pushIpcChannel } from '../common/channel-names';
import type { MonitorServiceHandle } from '../core/service/service-types';
import type { TrustedSenders } from './sender-guard';

/** Subscribes to the service's pushes; returns the unsubscribe function. */
export function forwardPushes(
  service: Pick<MonitorServiceHandle, 'onPush'>,
  trusted: TrustedSenders,
  log: (message: string) => void,
): () => void {
  return service.onPush((channel, payload) => {
    const ipcChannel = pushIpcChannel(channel);
    for (const contents of trusted.live()) {
      try {
        contents.send(ipcChannel, payload);
      } catch (error) {
        log(`push ${channel} to webContents ${String(contents.id)} failed: ${describe(error)}`);
      }
    }
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
