/**
 * A connection state as live text, with the reconnect countdown ticking once a second.
 */
import type { ConnectionState } from '../../../electron/common/models';
import { describeConnection } from '../lib/connection-text';
import { useNow } from '../lib/use-now';
import styles from './connection-text.module.css';

/** `ready`, `reconnecting in 3 s`, `failed: reason`, coloured by phase. */
export function ConnectionText({ connection, className }: { readonly connection: ConnectionState; readonly className?: string | undefined }) {
  const now = useNow(connection.phase === 'reconnecting' && connection.nextRetryAt !== undefined);
  return (
    <span className={`${styles[connection.phase] ?? ''} ${className ?? ''}`}>{describeConnection(connection, now)}</span>
  );
}
