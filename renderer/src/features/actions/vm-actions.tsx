/**
 * The run-control toolbar: Pause, Resume, Reset, Power down, Quit.
 *
 * Buttons send the QMP command and then wait: the run state shown changes only when QEMU's
 * event arrives, never optimistically. Reset and Quit ask first because they lose guest state.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import type { VmSnapshot } from '../../../../electron/common/models';
import { displayName } from '../../state/monitor-state';
import { useMonitor, useStore } from '../../state/store-context';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import styles from './vm-actions.module.css';

interface ActionSpec {
  readonly label: string;
  readonly command: string;
  /** Confirmation sentence; absent for harmless actions. */
  readonly confirm?: (name: string) => string;
  readonly applies: (vm: VmSnapshot) => boolean;
}

/** `stop` in prelaunch is a no-op in QEMU (no STOP event), so Pause needs a running guest. */
const ACTIONS: readonly ActionSpec[] = [
  { label: 'Pause', command: 'stop', applies: (vm) => vm.runState?.running === true },
  { label: 'Resume', command: 'cont', applies: (vm) => vm.runState !== undefined && !vm.runState.running },
  {
    label: 'Reset',
    command: 'system_reset',
    confirm: (name) => `The guest of ${name} restarts at once, as if the reset button were pressed. Unsaved guest data is lost.`,
    applies: () => true,
  },
  { label: 'Power down', command: 'system_powerdown', applies: () => true },
  {
    label: 'Quit',
    command: 'quit',
    confirm: (name) => `QEMU exits and ${name} stops immediately, without a guest shutdown.`,
    applies: () => true,
  },
];

/** `role="toolbar"` of run-control buttons for one VM, with the last failure as an alert. */
export function VmActions({ vm }: { readonly vm: VmSnapshot }) {
  const store = useStore();
  const vmId = vm.config.id;
  const action = useMonitor((s) => s.actions[vmId]);
  const [confirming, setConfirming] = useState<ActionSpec | null>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const buttonRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const connected = vm.connection.phase === 'ready';
  const busy = action?.busy ?? null;
  const name = displayName(vm);

  const enabled = (spec: ActionSpec) => connected && busy === null && spec.applies(vm);
  const press = (spec: ActionSpec) => {
    if (!enabled(spec)) return;
    if (spec.confirm) setConfirming(spec);
    else void store.runCommand(vmId, spec.command);
  };
  // One tab stop, arrows inside (the ARIA toolbar pattern); unavailable buttons stay
  // focusable via aria-disabled so focus is not thrown to <body> when a state change disables them.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = ACTIONS.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: focusIndex === last ? 0 : focusIndex + 1,
      ArrowLeft: focusIndex === 0 ? last : focusIndex - 1,
      Home: 0,
      End: last,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    setFocusIndex(next);
    buttonRefs.current[next]?.focus();
  };

  return (
    <div className={styles.wrap}>
      <div role="toolbar" aria-label="VM actions" aria-busy={busy !== null} className={styles.toolbar} onKeyDown={onKeyDown}>
        {ACTIONS.map((spec, index) => (
          <button
            key={spec.command}
            ref={(element) => {
              buttonRefs.current[index] = element;
            }}
            type="button"
            aria-disabled={!enabled(spec)}
            tabIndex={index === focusIndex ? 0 : -1}
            onFocus={() => setFocusIndex(index)}
            onClick={() => press(spec)}
            className={busy === spec.command ? styles.busy : undefined}
          >
            {spec.label}
          </button>
        ))}
        {busy !== null && (
          <span className={styles.pending} role="status">
            Waiting for QEMU ({busy})…
          </span>
        )}
      </div>
      {action?.error && (
        <div role="alert" className={styles.error}>
          <span>{action.error}</span>
          <button type="button" onClick={() => store.dismissError(vmId)} aria-label="Dismiss error">
            ×
          </button>
        </div>
      )}
      {confirming?.confirm && (
        <ConfirmDialog
          title={`${confirming.label} ${name}?`}
          message={confirming.confirm(name)}
          confirmLabel={confirming.label}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            void store.runCommand(vmId, confirming.command);
          }}
        />
      )}
    </div>
  );
}
