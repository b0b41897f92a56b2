/**
 * Where the shown run state came from (a query-status reply or a named event) and when.
 *
 * Users steering a VM want to know the state is QEMU's word, not the UI's guess; this line
 * says which message it was.
 */
import type { RunState } from '../../../../electron/common/models';
import styles from './status-panel.module.css';

/** `STOP event at 14:03:07` / `query-status at 14:03:01` (the core sends `event:NAME (reason)`). */
export function ReportedBy({ runState }: { readonly runState: RunState }) {
  const at = new Date(runState.updatedAt);
  const event = /^event:([A-Z0-9_]+)(.*)$/.exec(runState.source);
  const source = event ? `${event[1]} event${event[2] ?? ''}` : runState.source;
  return (
    <span className={styles.muted}>
      {source} at <time dateTime={at.toISOString()}>{at.toLocaleTimeString('en-GB')}</time>
    </span>
  );
}
