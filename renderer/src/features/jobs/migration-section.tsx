/**
 * The Migration card: QEMU's migration status and numbers (query-migrate, MIGRATION and
 * MIGRATION_PASS), a progress bar of RAM transferred and a chart of it while it runs.
 */
import type { MigrationView } from '../../../../electron/common/jobs-models';
import type { VmSnapshot } from '../../../../electron/common/models';
import { LabelledValue, Unavailable, ValueList } from '../../ui/labelled-values';
import { bytesText, exactBytesText, millisText, progressText } from './job-format';
import { MigrationChart } from './migration-chart';
import { ProgressMeter } from './progress-meter';
import styles from './jobs.module.css';
import { groupedNumber } from '../../lib/format';

/** A number or the reason it is missing. */
function value(number: number | undefined, format: (n: number) => string, missing = 'not reported in this status') {
  return number === undefined ? <Unavailable reason={missing} /> : format(number);
}

/** Bytes done out of what there is to send: transferred of transferred + remaining (RAM keeps being dirtied). */
function progressOf(view: MigrationView): { current: number; total: number } {
  const current = view.transferred ?? 0;
  if (view.status === 'completed') return { current, total: current };
  const total = view.remaining !== undefined ? current + view.remaining : (view.total ?? 0);
  return { current, total };
}

/** The migration of `vm`, or a note that none ran yet. */
export function MigrationSection({ vm }: { readonly vm: VmSnapshot }) {
  const view = vm.jobs?.migration;
  const vmId = vm.config.id;
  const titleId = `migration-title-${vmId}`;
  if (!view || view.status === 'none') {
    return (
      <section aria-labelledby={titleId} className={styles.section}>
        <h3 id={titleId}>Live migration</h3>
        <p className={styles.muted}>{view ? 'No migration has run since QEMU started.' : 'Not read yet.'}</p>
      </section>
    );
  }
  const { current, total } = progressOf(view);
  const text = progressText(current, total);
  const downtimeTerm = view.downtime !== undefined ? 'Downtime' : 'Expected downtime';
  return (
    <section aria-labelledby={titleId} className={styles.section}>
      <h3 id={titleId}>Live migration</h3>
      <div className={styles.migrationHead}>
        <ProgressMeter label="Migration progress" current={current} total={total} text={text} />
        <span className={styles.progressText}>{text}</span>
      </div>
      <ValueList label="Migration numbers">
        <LabelledValue term="Status">{view.status}</LabelledValue>
        {view.error !== undefined && <LabelledValue term="Error">{view.error}</LabelledValue>}
        <LabelledValue term="Transferred" {...(view.transferred !== undefined ? { title: exactBytesText(view.transferred) } : {})}>
          {value(view.transferred, bytesText)}
        </LabelledValue>
        <LabelledValue term="Remaining">{value(view.remaining, bytesText)}</LabelledValue>
        <LabelledValue term="Total RAM">{value(view.total, bytesText)}</LabelledValue>
        <LabelledValue term="Speed">
          {view.mbps !== undefined ? `${view.mbps.toFixed(1)} Mbit/s${view.pagesPerSecond !== undefined ? `, ${groupedNumber(Math.round(view.pagesPerSecond))} pages/s` : ''}` : <Unavailable reason="not reported in this status" />}
        </LabelledValue>
        <LabelledValue term="Dirty pages">{value(view.dirtyPageRate, (n) => `${groupedNumber(Math.round(n))} pages/s`)}</LabelledValue>
        <LabelledValue term="Passes">{value(view.passes, (n) => String(n))}</LabelledValue>
        <LabelledValue term={downtimeTerm}>{value(view.downtime ?? view.expectedDowntime, millisText)}</LabelledValue>
        <LabelledValue term="Total time">{value(view.totalTime, millisText)}</LabelledValue>
      </ValueList>
      {view.history.length > 0 && <MigrationChart history={view.history} />}
    </section>
  );
}
