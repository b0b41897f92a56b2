/**
 * The Timeline view: every QMP event of every VM (or of the selected one), in time order, newest
 * at the bottom, with the app's own markers, filters, the event-rate strip and export.
 *
 * The list, the filter and the strip read the timeline model (timeline-model.ts), which is
 * kept in step with each push in O(batch); this view only maps its result to the rows in view.
 */
import { useCallback, useId, useMemo, useState } from 'react';
import { displayName } from '../../state/monitor-state';
import { useMonitor, useStore } from '../../state/store-context';
import { useNow } from '../../lib/use-now';
import { JsonTree } from '../../ui/json-tree';
import { useAtMostEvery } from '../../ui/use-at-most-every';
import { RateStrip, type TimeRange } from './rate-strip';
import { useTimeline } from './timeline-context';
import { filterKey, type FilteredEvents, type TimelineFilter } from './timeline-filter';
import { FilterChips, TimelineFilters } from './timeline-filters';
import { timeTitle } from './timeline-format';
import { TimelineList } from './timeline-list';
import { TimelineProgress } from './timeline-progress';
import { jsonLine, type VmNamer } from './timeline-export';
import { ExportControl } from './timeline-export-control';
import styles from './timeline.module.css';
import { groupedNumber } from '../../lib/format';

/** Spans the rate strip offers, ms. */
const SPANS = [
  { label: '1 minute', ms: 60_000 },
  { label: '10 minutes', ms: 600_000 },
  { label: '1 hour', ms: 3_600_000 },
  { label: '6 hours', ms: 21_600_000 },
] as const;

/** How often the event-name menu's counts follow new events, ms. */
const NAME_COUNTS_EVERY_MS = 250;

/** `<main>` for the timeline; see the module comment. */
export function TimelineView() {
  const store = useStore();
  const { model, filter, setFilter } = useTimeline();
  const events = useMonitor((s) => s.events);
  const vms = useMonitor((s) => s.vms);
  const selectedId = useMonitor((s) => s.selectedId);
  const scope = useMonitor((s) => s.timelineScope);
  const [openPosition, setOpenPosition] = useState<number | null>(null);
  const [spanMs, setSpanMs] = useState<number>(SPANS[1].ms);
  const now = useNow(true);
  const scopeId = useId();
  const markersId = useId();
  const spanId = useId();

  const selectedVm = vms.find((vm) => vm.config.id === selectedId);
  const scoped = scope === 'selected' && selectedVm !== undefined;
  // The text filter applies in the same render as the keystroke: a search of a million events
  // takes milliseconds (timeline-index.ts), and deferring it cost a second render and a frame.
  const effective = useMemo<TimelineFilter>(() => (scoped ? { ...filter, vmIds: new Set([selectedVm.config.id]) } : filter), [filter, scoped, selectedVm]);
  const shown = useMemo(() => model.filtered(events, effective), [model, events, effective]);
  // The name counts change with every frame of a flood; the menu shows them four times a second.
  const namesVersion = useAtMostEvery(events.version, NAME_COUNTS_EVERY_MS);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the index is mutated in place; `namesVersion` is its version
  const names = useMemo(() => model.index.nameCountList(), [model, namesVersion]);
  const vmName = useMemo<VmNamer>(() => {
    const byId = new Map(vms.map((vm) => [vm.config.id, displayName(vm)]));
    return (id) => byId.get(id) ?? id;
  }, [vms]);
  const onRangeChange = useCallback((range: TimeRange | null) => setFilter((current) => ({ ...current, range })), [setFilter]);

  const openEvent = openPosition === null ? undefined : events.atPosition(openPosition);
  return (
    <main className={styles.main} aria-labelledby="timeline-title">
      <div className={styles.header}>
        <h2 id="timeline-title" className={styles.title}>
          Timeline
        </h2>
        <label className={styles.switch} htmlFor={scopeId}>
          <input
            id={scopeId}
            type="checkbox"
            role="switch"
            checked={scoped}
            disabled={selectedVm === undefined}
            onChange={(event) => store.setTimelineScope(event.target.checked ? 'selected' : 'all')}
          />
          {selectedVm ? `Only ${displayName(selectedVm)}` : 'Only the selected VM'}
        </label>
        <label className={styles.switch} htmlFor={markersId}>
          <input
            id={markersId}
            type="checkbox"
            role="switch"
            checked={filter.showMarkers}
            onChange={(event) => {
              const showMarkers = event.target.checked;
              setFilter((current) => ({ ...current, showMarkers }));
            }}
          />
          Show app markers
        </label>
        <ExportControl events={shown} vmName={vmName} />
      </div>
      <div className={styles.strip}>
        <RateStrip counts={model.counts} revision={model.counts.revision} spanMs={spanMs} nowMs={now} range={filter.range} onRangeChange={onRangeChange} height={72} />
        <label className={styles.span} htmlFor={spanId}>
          Span
          <select id={spanId} value={spanMs} onChange={(event) => setSpanMs(Number(event.target.value))}>
            {SPANS.map((span) => (
              <option key={span.ms} value={span.ms}>
                {span.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <TimelineFilters filter={filter} setFilter={setFilter} names={names} vms={vms} scoped={scoped} />
      <FilterChips filter={filter} setFilter={setFilter} vmName={vmName} />
      <p className={styles.countLine}>
        <ShownCount shown={shown} />
        {events.dropped > 0 && ` · ${groupedNumber(events.dropped)} older events dropped (the timeline keeps the newest ${groupedNumber(events.length)})`}
      </p>
      <TimelineProgress />
      <TimelineList events={shown} filterKey={filterKey(effective)} vmName={vmName} openPosition={openEvent ? openPosition : null} onOpen={setOpenPosition} />
      {openEvent && (
        <section className={styles.detail} aria-label="Event details">
          <div className={styles.detailHead}>
            <h3 className={styles.detailTitle}>
              {openEvent.event} on {vmName(openEvent.vmId)}
            </h3>
            <span className={styles.muted}>{timeTitle(openEvent)}</span>
            <button type="button" className={styles.close} onClick={() => setOpenPosition(null)}>
              Close details
            </button>
          </div>
          <JsonTree
            key={openPosition}
            json={jsonLine(openEvent, vmName(openEvent.vmId))}
            wholeText={jsonLine(openEvent, vmName(openEvent.vmId))}
            label={`${openEvent.event} event from ${vmName(openEvent.vmId)}`}
          />
        </section>
      )}
    </main>
  );
}

/** `1,234 of 5,678 events` (or `5,678 events` with nothing filtered). */
function ShownCount({ shown }: { readonly shown: FilteredEvents }) {
  const total = groupedNumber(shown.total);
  const noun = shown.total === 1 ? 'event' : 'events';
  return <>{`${groupedNumber(shown.length)} of ${total} ${noun}`}</>;
}
