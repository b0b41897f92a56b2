/**
 * The Jobs card of a VM: one row per block or generic job with its progress, rate, state,
 * type and actions; an ended job keeps its outcome (and error) until the user dismisses it.
 */
import type { JobRow } from '../../../../electron/common/jobs-models';
import type { VmSnapshot } from '../../../../electron/common/models';
import { bytesText, exactBytesText, progressText, rateText } from './job-format';
import { JobActions } from './job-actions';
import { ProgressMeter } from './progress-meter';
import { MigrationSection } from './migration-section';
import styles from './jobs.module.css';

/** The state word, with the outcome once the job has ended. */
function stateText(job: JobRow): string {
  if (!job.outcome) return job.userPaused && job.state !== 'paused' && job.state !== 'standby' ? `${job.state} (pause requested)` : job.state;
  return job.inQemu ? `${job.state}: ${job.outcome}` : `ended: ${job.outcome}`;
}

/** The speed column: the measured rate, and the limit when one is set. */
function speedText(job: JobRow): string {
  const measured = job.outcome || !job.inQemu ? 'ended' : job.userPaused ? 'paused' : rateText(job.rate);
  return job.speedLimit ? `${measured} (limit ${bytesText(job.speedLimit)}/s)` : measured;
}

function JobRowView({ vmId, job, connected }: { readonly vmId: string; readonly job: JobRow; readonly connected: boolean }) {
  const text = progressText(job.current, job.total);
  return (
    <tr className={job.outcome ? styles.endedRow : undefined}>
      <th scope="row">
        <span className={styles.jobId}>{job.id}</span>
        <span className={styles.jobType}>{job.type}</span>
      </th>
      <td>
        <span className={job.outcome === 'failed' ? styles.failed : job.outcome ? styles.outcome : undefined}>{stateText(job)}</span>
        {job.error !== undefined && <span className={styles.jobError}>error: {job.error}</span>}
      </td>
      <td className={styles.progressCell}>
        <ProgressMeter label={`Progress of job ${job.id}`} current={job.current} total={job.total} text={text} />
        <span className={styles.progressText} title={`${exactBytesText(job.current)} of ${exactBytesText(job.total)}`}>
          {text}
        </span>
        <span className={styles.progressText}>{speedText(job)}</span>
      </td>
      <td>
        <JobActions vmId={vmId} job={job} connected={connected} />
      </td>
    </tr>
  );
}

/** The Jobs section and, under it, the migration of `vm`. */
export function JobsSection({ vm }: { readonly vm: VmSnapshot }) {
  const jobs = vm.jobs?.jobs ?? [];
  const connected = vm.connection.phase === 'ready';
  const vmId = vm.config.id;
  return (
    <>
      <section aria-labelledby={`jobs-title-${vmId}`} className={styles.section}>
        <h3 id={`jobs-title-${vmId}`}>Jobs</h3>
        {jobs.length === 0 ? (
          <p className={styles.muted}>
            {vm.jobs ? 'No block or generic jobs. Jobs that drive-mirror, blockdev-backup, block-commit or block-stream start show here.' : connected ? 'Reading jobs…' : 'Not connected.'}
          </p>
        ) : (
          <div className={styles.tableWrap}>
            <table className={styles.table} aria-label="Jobs">
              <thead>
                <tr>
                  <th scope="col">Job and type</th>
                  <th scope="col">State</th>
                  <th scope="col">Progress and speed</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
                  <JobRowView key={job.id} vmId={vmId} job={job} connected={connected} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <MigrationSection vm={vm} />
    </>
  );
}
