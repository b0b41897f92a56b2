/**
 * The action buttons of one job row, each enabled only in the states QEMU accepts it (see
 * electron/common/job-verbs.ts) and otherwise marked unavailable with the reason in its title.
 */
import { useState } from 'react';
import type { JobRow } from '../../../../electron/common/jobs-models';
import { JOB_ACTION_COMMANDS, JOB_ACTIONS, jobActionAvailability, type JobAction } from '../../../../electron/common/job-verbs';
import { useStore } from '../../state/store-context';
import styles from './jobs.module.css';

const LABELS: Readonly<Record<JobAction, string>> = {
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  complete: 'Complete',
  finalize: 'Finalize',
  dismiss: 'Dismiss',
};

/** Buttons for one job; a refused action shows QEMU's error under them. */
export function JobActions({ vmId, job, connected }: { readonly vmId: string; readonly job: JobRow; readonly connected: boolean }) {
  const store = useStore();
  const [busy, setBusy] = useState<JobAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const press = async (action: JobAction) => {
    setBusy(action);
    setError(null);
    if (action === 'dismiss') {
      setError(await store.dismissJob(vmId, job.id));
    } else {
      const outcome = await store.runJobCommand(vmId, JOB_ACTION_COMMANDS[action], job.id);
      setError(outcome.ok ? null : `${outcome.errorClass}: ${outcome.desc}`);
    }
    setBusy(null);
  };
  return (
    <div className={styles.actionCell}>
      <div role="group" aria-label={`Actions for job ${job.id}`} className={styles.actions}>
        {JOB_ACTIONS.map((action) => {
          const availability = jobActionAvailability(job, action);
          // Dismissing the app's own record needs no connection; everything else talks to QEMU.
          const needsQemu = action !== 'dismiss' || job.inQemu;
          const reason = !availability.enabled ? availability.reason : needsQemu && !connected ? 'the VM is not connected' : busy !== null ? `${LABELS[busy]} is in progress` : undefined;
          return (
            <button
              key={action}
              type="button"
              aria-disabled={reason !== undefined}
              title={reason ? `${LABELS[action]} is unavailable: ${reason}` : `${JOB_ACTION_COMMANDS[action]} ${job.id}`}
              className={reason !== undefined ? styles.unavailable : undefined}
              onClick={() => {
                if (reason === undefined) void press(action);
              }}
            >
              {LABELS[action]}
            </button>
          );
        })}
      </div>
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
    </div>
  );
}
