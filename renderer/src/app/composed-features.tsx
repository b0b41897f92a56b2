/**
 * The features put together: the app composes them so that no feature imports another.
 *
 * The status panel gets the command buttons (actions), the demo VM's empty state (demo) and the
 * connection dialog (vm-list); the sidebar gets the demo VM's one-line status; the main area
 * shows the status panel or the timeline.
 */
import { VmActions } from '../features/actions/vm-actions';
import { DemoStatus } from '../features/demo/demo-status';
import { SharePanel } from '../features/share/share-panel';
import { JobsSection } from '../features/jobs/jobs-section';
import { VmCharts } from '../features/charts/vm-charts';
import { EmptyState } from '../features/demo/empty-state';
import { StatusPanel } from '../features/status/status-panel';
import { ConnectionDialog } from '../features/vm-list/connection-dialog';
import { VmSidebar, type VmSidebarProps } from '../features/vm-list/vm-sidebar';
import { TimelineView } from '../features/timeline/timeline-view';
import { ConsoleView } from '../features/console/console-view';
import { WireView } from '../features/console/wire-view';
import { QomView } from '../features/qom/qom-view';
import { ScreenThumbnail } from '../features/screen/screen-thumbnail';
import { useMonitor } from '../state/store-context';
import { RecordingsSection } from '../features/recordings/recordings-section';
import { RecordingArea } from './recording-area';

/** The main region with every feature it shows. */
export function StatusArea() {
  return (
    <StatusPanel
      actions={(vm) => <VmActions vm={vm} />}
      empty={<EmptyState />}
      editDialog={(vm, onClose) => <ConnectionDialog editing={vm} onClose={onClose} />}
      share={(vm) => <SharePanel vm={vm} />}
      screen={(vm) => <ScreenThumbnail vm={vm} />}
      jobs={(vm) => <JobsSection vm={vm} />}
      charts={(vm) => <VmCharts vm={vm} />}
    />
  );
}

/** The main area: the status panel or the timeline, whichever view is chosen. */
export function MainArea() {
  const view = useMonitor((s) => s.view);
  const recording = useMonitor((s) => s.recordings.find((r) => r.id === s.recordingId));
  if (recording) return <RecordingArea recording={recording} view={view} />;
  if (view === 'console') return <ConsoleView />;
  if (view === 'wire') return <WireView />;
  if (view === 'qom') return <QomView />;
  return view === 'timeline' ? <TimelineView /> : <StatusArea />;
}

/** The sidebar with the demo VM's status under the lists. */
export function Sidebar(props: Omit<VmSidebarProps, 'footer'>) {
  return (
    <VmSidebar
      {...props}
      footer={
        <>
          <DemoStatus compact />
          <RecordingsSection />
        </>
      }
    />
  );
}
