/**
 * The features put together: the app composes them so that no feature imports another.
 *
 * The status panel gets the command buttons (actions), the demo VM's empty state (demo) and the
 * connection dialog (vm-list); the sidebar gets the demo VM's one-line status; the main area
 * shows the status panel or the timeline.
 */
import { VmActions } from '../features/actions/vm-actions';
import { DemoStatus } from '../features/demo/demo-status';
import { EmptyState } from '../features/demo/empty-state';
import { StatusPanel } from '../features/status/status-panel';
import { ConnectionDialog } from '../features/vm-list/connection-dialog';
import { VmSidebar, type VmSidebarProps } from '../features/vm-list/vm-sidebar';
import { TimelineView } from '../features/timeline/timeline-view';
import { useMonitor } from '../state/store-context';

/** The main region with every feature it shows. */
export function StatusArea() {
  return (
    <StatusPanel
      actions={(vm) => <VmActions vm={vm} />}
      empty={<EmptyState />}
      editDialog={(vm, onClose) => <ConnectionDialog editing={vm} onClose={onClose} />}
    />
  );
}

/** The main area: the status panel or the timeline, whichever view is chosen. */
export function MainArea() {
  const view = useMonitor((s) => s.view);
  return view === 'timeline' ? <TimelineView /> : <StatusArea />;
}

/** The sidebar with the demo VM's status under the lists. */
export function Sidebar(props: Omit<VmSidebarProps, 'footer'>) {
  return <VmSidebar {...props} footer={<DemoStatus compact />} />;
}
