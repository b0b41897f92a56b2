/**
 * Ctrl+R in the console: incremental search through the history of every VM (or this VM's),
 * newest match first; Enter takes the chosen command into the editor, Escape goes back.
 */
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { HistoryEntry } from '../../../../electron/common/console-history';
import styles from './console.module.css';

/** Most matches listed. */
const MAX_MATCHES = 50;

/** Props of {@link HistorySearch}. */
export interface HistorySearchProps {
  readonly history: readonly HistoryEntry[];
  readonly vmId: string;
  readonly vmName: (vmId: string) => string;
  /** Called with the chosen entry, or undefined when the search was left. */
  readonly onDone: (entry: HistoryEntry | undefined) => void;
}

/** Matches of `query` (case-insensitive substring), newest first. */
export function searchHistory(history: readonly HistoryEntry[], query: string, vmId: string | undefined): HistoryEntry[] {
  const needle = query.toLowerCase();
  const out: HistoryEntry[] = [];
  for (let index = history.length - 1; index >= 0 && out.length < MAX_MATCHES; index--) {
    const entry = history[index]!;
    if (vmId !== undefined && entry.vmId !== vmId) continue;
    if (entry.text.toLowerCase().includes(needle)) out.push(entry);
  }
  return out;
}

/** The search box with its list of matches. */
export function HistorySearch({ history, vmId, vmName, onDone }: HistorySearchProps) {
  const [query, setQuery] = useState('');
  const [allVms, setAllVms] = useState(true);
  const [active, setActive] = useState(0);
  const matches = useMemo(() => searchHistory(history, query, allVms ? undefined : vmId), [history, query, allVms, vmId]);
  const listId = useId();
  const current = Math.min(active, Math.max(0, matches.length - 1));
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || (event.key === 'r' && event.ctrlKey)) setActive(Math.min(current + 1, matches.length - 1));
    else if (event.key === 'ArrowUp') setActive(Math.max(current - 1, 0));
    else if (event.key === 'Enter') onDone(matches[current]);
    else if (event.key === 'Escape') onDone(undefined);
    else return;
    event.preventDefault();
  };
  return (
    <div className={styles.search} role="search" aria-label="History search">
      <div className={styles.searchBar}>
        <input
          type="search"
          aria-label="Search history"
          aria-controls={listId}
          aria-activedescendant={matches.length > 0 ? `${listId}-${current}` : undefined}
          placeholder="Search history (Enter takes it, Esc goes back)"
          value={query}
          autoFocus
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <label className={styles.switch}>
          <input type="checkbox" checked={allVms} onChange={(event) => setAllVms(event.target.checked)} />
          All VMs
        </label>
        <span className={styles.muted}>{`${matches.length}${matches.length === MAX_MATCHES ? '+' : ''} match${matches.length === 1 ? '' : 'es'}`}</span>
      </div>
      <ul id={listId} role="listbox" aria-label="History matches" className={styles.matches}>
        {matches.map((entry, index) => (
          <li
            key={`${entry.vmId}\u0000${entry.mode}\u0000${entry.text}`}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === current}
            className={index === current ? `${styles.match} ${styles.matchActive}` : styles.match}
            onMouseDown={(event) => {
              event.preventDefault();
              onDone(entry);
            }}
          >
            <code>{entry.text}</code>
            <span className={styles.muted}>{`${entry.mode === 'hmp' ? 'HMP · ' : ''}${vmName(entry.vmId)}`}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
