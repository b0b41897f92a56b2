/**
 * The main region: everything QEMU reports about the selected VM, kept live by pushes.
 */
import type { ReactNode } from 'react';
import type { VmSnapshot } from '../../../../electron/common/models';
import { displayName } from '../../state/monitor-state';
import { useMonitor } from '../../state/store-context';
import { BreakableText } from '../../ui/breakable-text';
import { ConnectionText } from '../../ui/connection-text';
import { LabelledValue, Unavailable, ValueList } from '../../ui/labelled-values';
import { RunStateBadge } from '../../ui/run-state-badge';
import { ConnectionControls, type EditDialogSlot } from './connection-controls';
import { DetailView } from './detail-view';
import { renderKvm, renderMemory, renderMigration, renderVnc } from './detail-renderers';
import { renderBlock, renderCpus } from './detail-tables';
import { RecentEvents } from './recent-events';
import { ReportedBy } from './reported-by';
import styles from './status-panel.module.css';

/**
 * What other features put into the panel; the app composes them (see app/composed-features),
 * so this feature never imports another one.
 */
export interface StatusPanelSlots {
  /** The command buttons for `vm`. */
  readonly actions: (vm: VmSnapshot) => ReactNode;
  /** Shown when there is no VM to show. */
  readonly empty: ReactNode;
  readonly editDialog: EditDialogSlot;
  /** The "Share this monitor" card for `vm` (optional, so hosts and tests may leave it out). */
  readonly share?: (vm: VmSnapshot) => ReactNode;
  /** The VM's screen thumbnail (optional, like share). */
  readonly screen?: (vm: VmSnapshot) => ReactNode;
  /** The Jobs and Migration cards for `vm` (optional, like `share`). */
  readonly jobs?: (vm: VmSnapshot) => ReactNode;
  /** The live charts card for `vm` (optional, like `share`). */
  readonly charts?: (vm: VmSnapshot) => ReactNode;
}

/** `<main>` with the selected VM's status, or the empty state when there are no VMs. */
export function StatusPanel(slots: StatusPanelSlots) {
  const vms = useMonitor((s) => s.vms);
  const selectedId = useMonitor((s) => s.selectedId);
  const vm = vms.find((candidate) => candidate.config.id === selectedId);
  return (
    <main className={styles.main} aria-labelledby={vm ? 'status-title' : undefined} aria-label={vm ? undefined : 'Status'}>
      {vm ? <VmStatus key={vm.config.id} vm={vm} slots={slots} /> : slots.empty}
    </main>
  );
}

function VmStatus({ vm, slots }: { readonly vm: VmSnapshot; readonly slots: StatusPanelSlots }) {
  const connected = vm.connection.phase === 'ready';
  const missing = connected ? 'not read yet' : 'not connected';
  const detail = (key: keyof VmSnapshot['details'], render: Parameters<typeof DetailView>[0]['render']) => (
    <DetailView field={vm.details[key]} missingReason={missing} render={render} />
  );
  return (
    <>
      <div className={styles.header}>
        <h2 id="status-title" className={styles.title}>
          {displayName(vm)}
        </h2>
        <ConnectionControls vm={vm} editDialog={slots.editDialog} />
      </div>
      {(vm.connection.phase === 'failed' || vm.connection.phase === 'reconnecting') && vm.connection.reason && (
        <p className={styles.alert}>Connection problem: {vm.connection.reason}</p>
      )}
      {slots.actions(vm)}
      <div className={styles.columns}>
        <section aria-labelledby="overview-title" className={styles.section}>
          <h3 id="overview-title">Overview</h3>
          {!connected && vm.qemu && (
            <p className={styles.staleNote}>Not connected: values below are from the last connection.</p>
          )}
          <ValueList>
            <LabelledValue term="Run state">
              <RunStateBadge runState={vm.runState} stale={!connected} />
            </LabelledValue>
            <LabelledValue term="Reported by">
              {vm.runState ? <ReportedBy runState={vm.runState} /> : <Unavailable reason={missing} />}
            </LabelledValue>
            <LabelledValue term="Connection">
              <ConnectionText connection={vm.connection} />
            </LabelledValue>
            <LabelledValue term="Target">
              <span className={styles.mono}>
                <BreakableText text={vm.config.target} />
              </span>
            </LabelledValue>
            <LabelledValue term="Name">{vm.name ?? <Unavailable reason={connected ? 'QEMU runs without -name' : missing} />}</LabelledValue>
            <LabelledValue term="UUID">{vm.uuid ? <span className={styles.mono}>{vm.uuid}</span> : <Unavailable reason={missing} />}</LabelledValue>
            <LabelledValue term="QEMU version">{vm.qemu ? `QEMU ${vm.qemu.version}` : <Unavailable reason={missing} />}</LabelledValue>
            <LabelledValue term="QEMU package">
              {vm.qemu ? vm.qemu.package.trim() || 'not stated' : <Unavailable reason={missing} />}
            </LabelledValue>
            <LabelledValue term="KVM">{detail('kvm', renderKvm)}</LabelledValue>
            <LabelledValue term="Memory">{detail('memory', renderMemory)}</LabelledValue>
            <LabelledValue term="VNC">{detail('vnc', renderVnc)}</LabelledValue>
            <LabelledValue term="Migration">{detail('migration', renderMigration)}</LabelledValue>
          </ValueList>
        </section>
        <div className={styles.stack}>
          {slots.screen?.(vm)}
          <RecentEvents vmId={vm.config.id} />
          {slots.share?.(vm)}
          <section aria-labelledby="cpus-title" className={styles.section}>
            <h3 id="cpus-title">CPUs</h3>
            {detail('cpus', renderCpus)}
          </section>
        </div>
      </div>
      <section aria-labelledby="block-title" className={styles.section}>
        <h3 id="block-title">Block devices</h3>
        {detail('block', renderBlock)}
      </section>
      {slots.charts?.(vm)}
      {slots.jobs?.(vm)}
    </>
  );
}
