/**
 * The VM list: one option per VM with its name, run state, QEMU version and connection.
 *
 * A single-select listbox with roving focus: Tab enters at the selected VM, arrows/Home/End
 * move selection and focus together, so the status panel follows the keyboard. Each option is
 * named by the VM's name alone and described by the rest, so assistive tech reads "vm1" first.
 */
import { useRef, type KeyboardEvent } from 'react';
import type { VmSnapshot } from '../../../../electron/common/models';
import { displayName } from '../../state/monitor-state';
import { useMonitor, useStore } from '../../state/store-context';
import { ConnectionText } from '../../ui/connection-text';
import { RunStateBadge } from '../../ui/run-state-badge';
import styles from './vm-listbox.module.css';

const KEY_STEPS: Readonly<Record<string, (index: number, count: number) => number>> = {
  ArrowDown: (i, n) => Math.min(i + 1, n - 1),
  ArrowUp: (i) => Math.max(i - 1, 0),
  Home: () => 0,
  End: (_i, n) => n - 1,
};

/** Every known VM; selecting one shows it in the status panel. */
export function VmListbox() {
  const store = useStore();
  const vms = useMonitor((s) => s.vms);
  const selectedId = useMonitor((s) => s.selectedId);
  const optionRefs = useRef(new Map<string, HTMLDivElement>());

  if (vms.length === 0) return <p className={styles.empty}>No connections yet.</p>;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = KEY_STEPS[event.key];
    if (!step) return;
    event.preventDefault();
    const current = Math.max(0, vms.findIndex((vm) => vm.config.id === selectedId));
    const next = vms[step(current, vms.length)];
    if (!next) return;
    store.select(next.config.id);
    optionRefs.current.get(next.config.id)?.focus();
  };

  return (
    <div role="listbox" aria-label="Virtual machines" className={styles.list} onKeyDown={onKeyDown}>
      {vms.map((vm) => (
        <VmOption
          key={vm.config.id}
          vm={vm}
          selected={vm.config.id === selectedId}
          onSelect={() => store.select(vm.config.id)}
          register={(element) => {
            if (element) optionRefs.current.set(vm.config.id, element);
            else optionRefs.current.delete(vm.config.id);
          }}
        />
      ))}
    </div>
  );
}

interface VmOptionProps {
  readonly vm: VmSnapshot;
  readonly selected: boolean;
  readonly onSelect: () => void;
  readonly register: (element: HTMLDivElement | null) => void;
}

function VmOption({ vm, selected, onSelect, register }: VmOptionProps) {
  const id = `vm-option-${vm.config.id}`;
  const connected = vm.connection.phase === 'ready';
  return (
    <div
      ref={register}
      id={id}
      role="option"
      aria-selected={selected}
      aria-labelledby={`${id}-name`}
      aria-describedby={`${id}-details`}
      tabIndex={selected ? 0 : -1}
      className={`${styles.option} ${selected ? styles.selected : ''}`}
      onClick={onSelect}
    >
      <span id={`${id}-name`} className={styles.name}>
        {displayName(vm)}
      </span>
      <span id={`${id}-details`} className={styles.details}>
        <RunStateBadge runState={vm.runState} stale={!connected} />
        {vm.qemu && <span className={styles.version}>QEMU {vm.qemu.version}</span>}
        {hasOwnLabel(vm) && <span className={styles.version}>{vm.config.label}</span>}
        <ConnectionText connection={vm.connection} className={styles.connection} />
      </span>
    </div>
  );
}

/** True when the user gave a label that differs from the shown name (not just the target again). */
function hasOwnLabel(vm: VmSnapshot): boolean {
  const { label, target } = vm.config;
  return label !== '' && label !== displayName(vm) && !target.endsWith(label);
}
