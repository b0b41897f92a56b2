/**
 * Words for a connection state, as the sidebar and status panel show them.
 */
import type { ConnectionState } from '../../../electron/common/models';

/**
 * `ready`, `connecting`, `reconnecting in 3 s`, `failed: <reason>` …
 *
 * `now` is passed in so the countdown can tick without the state changing.
 */
export function describeConnection(connection: ConnectionState, now: number): string {
  switch (connection.phase) {
    case 'reconnecting': {
      if (connection.nextRetryAt === undefined) return 'reconnecting';
      const seconds = Math.max(0, Math.ceil((connection.nextRetryAt - now) / 1000));
      return seconds > 0 ? `reconnecting in ${seconds} s` : 'reconnecting now';
    }
    case 'failed':
      return connection.reason ? `failed: ${connection.reason}` : 'failed';
    case 'idle':
      return 'not connected';
    case 'stopped':
      return 'disconnected';
    default:
      return connection.phase;
  }
}

/** True while the supervisor holds (or is making) a connection, i.e. Disconnect makes sense. */
export function isSupervised(connection: ConnectionState): boolean {
  return connection.phase === 'connecting' || connection.phase === 'ready' || connection.phase === 'reconnecting';
}
