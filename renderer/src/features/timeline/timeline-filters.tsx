/**
 * The timeline's filter controls and the chips that show (and remove) what is active.
 *
 * Free text, event names (with how many held events carry each), kinds and VMs; the time
 * range comes from the rate strip. Each active part is a chip whose button removes it, and
 * "Clear filters" removes them all at once (the marker switch and the scope are views, not
 * filters, and stay).
 */
import { memo, useId, type ReactNode } from 'react';
import type { VmSnapshot } from '../../../../electron/common/models';
import { displayName } from '../../state/monitor-state';
import { EVENT_KINDS, KIND_WORDS } from './event-kinds';
import type { TimelineFilter } from './timeline-filter';
import styles from './timeline.module.css';
import hidden from '../../ui/visually-hidden.module.css';
import { groupedNumber } from '../../lib/format';

type SetFilter = (next: (current: TimelineFilter) => TimelineFilter) => void;

/** Returns `set` with `value` added or removed. */
function toggled<T>(set: ReadonlySet<T>, value: T): ReadonlySet<T> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

/** True when any filter (not the marker switch) is set. */
export function hasActiveFilter(filter: TimelineFilter): boolean {
  return filter.text.trim() !== '' || filter.names.size > 0 || filter.kinds.size > 0 || filter.vmIds.size > 0 || filter.range !== null;
}

/** Removes every filter, keeping the marker switch. */
export function clearedFilter(filter: TimelineFilter): TimelineFilter {
  return { ...filter, text: '', names: new Set(), kinds: new Set(), vmIds: new Set(), range: null };
}

/** A `<details>` menu of checkboxes. */
function CheckMenu({ label, count, children }: { readonly label: string; readonly count: number; readonly children: ReactNode }) {
  return (
    <details className={styles.menu}>
      <summary>
        {label}
        {count > 0 ? ` (${count})` : ''}
      </summary>
      <div className={styles.menuBody} role="group" aria-label={label}>
        {children}
      </div>
    </details>
  );
}

/** What the filter bar needs. */
export interface TimelineFiltersProps {
  readonly filter: TimelineFilter;
  readonly setFilter: SetFilter;
  readonly names: ReadonlyArray<{ readonly name: string; readonly count: number }>;
  readonly vms: readonly VmSnapshot[];
  /** Hides the VM menu when the list is scoped to the selected VM. */
  readonly scoped: boolean;
}

/** The search box and the names / kinds / VMs menus. */
function TimelineFiltersView({ filter, setFilter, names, vms, scoped }: TimelineFiltersProps) {
  const searchId = useId();
  return (
    <div className={styles.filters}>
      <label htmlFor={searchId} className={hidden.visuallyHidden}>
        Filter events
      </label>
      <input
        id={searchId}
        type="search"
        className={styles.search}
        placeholder="Filter events (names and data)"
        value={filter.text}
        onChange={(event) => {
          const text = event.target.value;
          setFilter((current) => ({ ...current, text }));
        }}
      />
      <CheckMenu label="Event names" count={filter.names.size}>
        {names.length === 0 && <p className={styles.muted}>No events yet.</p>}
        {names.map(({ name, count }) => (
          <label key={name} className={styles.check}>
            <input type="checkbox" checked={filter.names.has(name)} onChange={() => setFilter((current) => ({ ...current, names: toggled(current.names, name) }))} />
            <span className={styles.checkName}>{name}</span>
            <span className={styles.count}>{groupedNumber(count)}</span>
          </label>
        ))}
      </CheckMenu>
      <CheckMenu label="Kinds" count={filter.kinds.size}>
        {EVENT_KINDS.map((kind) => (
          <label key={kind} className={styles.check} data-kind={kind}>
            <input type="checkbox" checked={filter.kinds.has(kind)} onChange={() => setFilter((current) => ({ ...current, kinds: toggled(current.kinds, kind) }))} />
            <span className={styles.swatch} aria-hidden="true" />
            <span className={styles.checkName}>{KIND_WORDS[kind]}</span>
          </label>
        ))}
      </CheckMenu>
      {!scoped && (
        <CheckMenu label="VMs" count={filter.vmIds.size}>
          {vms.length === 0 && <p className={styles.muted}>No VMs.</p>}
          {vms.map((vm) => (
            <label key={vm.config.id} className={styles.check}>
              <input
                type="checkbox"
                checked={filter.vmIds.has(vm.config.id)}
                onChange={() => setFilter((current) => ({ ...current, vmIds: toggled(current.vmIds, vm.config.id) }))}
              />
              <span className={styles.checkName}>{displayName(vm)}</span>
            </label>
          ))}
        </CheckMenu>
      )}
    </div>
  );
}

/** One removable chip. */
function Chip({ label, onRemove }: { readonly label: string; readonly onRemove: () => void }) {
  return (
    <li className={styles.chip}>
      <span>{label}</span>
      <button type="button" className={styles.chipRemove} aria-label={`Remove filter ${label}`} onClick={onRemove}>
        ×
      </button>
    </li>
  );
}

/** `14:03:07` of an epoch ms. */
function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}

/** The active filters as chips, and "Clear filters". */
function FilterChipsView({ filter, setFilter, vmName }: { readonly filter: TimelineFilter; readonly setFilter: SetFilter; readonly vmName: (id: string) => string }) {
  if (!hasActiveFilter(filter)) return null;
  const text = filter.text.trim();
  return (
    <div className={styles.chips}>
      <ul aria-label="Active filters" className={styles.chipList}>
        {text !== '' && <Chip label={`text: ${text}`} onRemove={() => setFilter((current) => ({ ...current, text: '' }))} />}
        {[...filter.names].map((name) => (
          <Chip key={`n-${name}`} label={`event: ${name}`} onRemove={() => setFilter((current) => ({ ...current, names: toggled(current.names, name) }))} />
        ))}
        {[...filter.kinds].map((kind) => (
          <Chip key={`k-${kind}`} label={`kind: ${KIND_WORDS[kind]}`} onRemove={() => setFilter((current) => ({ ...current, kinds: toggled(current.kinds, kind) }))} />
        ))}
        {[...filter.vmIds].map((id) => (
          <Chip key={`v-${id}`} label={`VM: ${vmName(id)}`} onRemove={() => setFilter((current) => ({ ...current, vmIds: toggled(current.vmIds, id) }))} />
        ))}
        {filter.range && (
          <Chip label={`time: ${clock(filter.range.fromMs)}–${clock(filter.range.toMs)}`} onRemove={() => setFilter((current) => ({ ...current, range: null }))} />
        )}
      </ul>
      <button type="button" className={styles.clear} onClick={() => setFilter(clearedFilter)}>
        Clear filters
      </button>
    </div>
  );
}

/** The filter controls; they redraw only when their props change, not with every frame of new events. */
export const TimelineFilters = memo(TimelineFiltersView);

/** The active filter as chips; like {@link TimelineFilters}, unchanged by new events. */
export const FilterChips = memo(FilterChipsView);
