/**
 * The wire inspector: the selected VM's raw QMP traffic, both directions, exactly as it
 * crossed the socket (pretty-printed replies and CRLFs included), with byte counts and times.
 *
 * The core keeps a bounded log per VM (oldest dropped, the count reported); this view polls
 * it while shown, holds at most {@link HELD_ENTRIES} and renders the newest
 * {@link SHOWN_ENTRIES}, so a busy VM cannot make the page heavy. Texts are React text, never
 * HTML; a carriage return is shown as a "CR" mark, so what was sent is what is seen.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { WireEntry } from '../../../../electron/common/wire-entry';
import { SaveRecordingButton } from './save-recording';
import { displayName } from '../../state/monitor-state';
import { messageOf } from '../../state/monitor-store';
import { useMonitor, useStore } from '../../state/store-context';
import { formatClock } from './console-format';
import styles from './wire.module.css';
import { groupedNumber } from '../../lib/format';

/** How often the log is read while the view is shown. */
const POLL_MS = 500;
/** Most entries the page holds. */
export const HELD_ENTRIES = 5000;
/** Most entries rendered (the newest). */
export const SHOWN_ENTRIES = 300;

/** What the view holds of one VM's log. */
interface WireState {
  readonly entries: readonly WireEntry[];
  /** Dropped by the core's bound (its running count). */
  readonly coreDropped: number;
  /** Dropped here to stay within {@link HELD_ENTRIES}. */
  readonly localDropped: number;
  readonly error: string | undefined;
}

const EMPTY: WireState = { entries: [], coreDropped: 0, localDropped: 0, error: undefined };

/**
 * The text with each carriage return shown as a small "CR" mark (line feeds stay line
 * breaks), so QEMU's CRLF message ends are visible; everything is React text, never HTML.
 */
function WireText({ text }: { readonly text: string }) {
  const parts = text.split('\r');
  return (
    <>
      {parts.map((part, index) => (
        <span key={index}>
          {part}
          {index < parts.length - 1 && (
            <abbr className={styles.cr} title="carriage return (\r)">
              CR
            </abbr>
          )}
        </span>
      ))}
    </>
  );
}

/** The inspector for the selected VM. */
export function WireView() {
  const store = useStore();
  const vm = useMonitor((s) => s.vms.find((v) => v.config.id === s.selectedId));
  const vmId = vm?.config.id;
  const [state, setState] = useState<WireState>(EMPTY);
  useEffect(() => {
    if (vmId === undefined) return;
    setState(EMPTY);
    const controller = new AbortController();
    let lastSeq = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        for (;;) {
          const page = await store.readWire(vmId, lastSeq, { signal: controller.signal });
          lastSeq = page.lastSeq;
          setState((current) => {
            const all = [...current.entries, ...page.entries];
            const cut = Math.max(0, all.length - HELD_ENTRIES);
            return { entries: cut > 0 ? all.slice(cut) : all, coreDropped: page.dropped, localDropped: current.localDropped + cut, error: undefined };
          });
          if (!page.more) break;
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((current) => ({ ...current, error: messageOf(error) }));
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [store, vmId]);

  if (!vm) {
    return (
      <main className={styles.main} aria-label="Wire">
        <h2 className={styles.title}>Wire</h2>
        <p className={styles.muted}>Add or select a VM to see its QMP traffic.</p>
      </main>
    );
  }
  return (
    <main className={styles.main} aria-label={`Wire of ${displayName(vm)}`}>
      <div className={styles.header}>
        <h2 className={styles.title}>{`Wire · ${displayName(vm)}`}</h2>
        <WireSummary entries={state.entries} dropped={state.coreDropped + state.localDropped} />
        <SaveRecordingButton vmId={vm.config.id} vmName={displayName(vm)} />
        {state.error !== undefined && (
          <span role="alert" className={styles.error}>
            {`Could not read the wire log: ${state.error}`}
          </span>
        )}
      </div>
      <WireMessages entries={state.entries} />
    </main>
  );
}

/** Counts of `entries`: messages, bytes each way, what was dropped or is not shown. */
export function WireSummary({ entries, dropped }: { readonly entries: readonly WireEntry[]; readonly dropped: number }) {
  const bytes = (dir: WireEntry['dir']) => entries.reduce((sum, entry) => (entry.dir === dir ? sum + entry.bytes : sum), 0);
  const hidden = entries.length - Math.min(entries.length, SHOWN_ENTRIES);
  return (
    <span className={styles.muted}>
      {`${entries.length} messages held · sent ${groupedNumber(bytes('out'))} B · received ${groupedNumber(bytes('in'))} B`}
      {dropped > 0 ? ` · ${groupedNumber(dropped)} older dropped` : ''}
      {hidden > 0 ? ` · showing the newest ${SHOWN_ENTRIES}` : ''}
    </span>
  );
}

/**
 * The newest {@link SHOWN_ENTRIES} of `entries`, each with its direction, time and byte count,
 * following the newest until the user scrolls up (a live VM's log and an opened recording's).
 */
export function WireMessages({ entries }: { readonly entries: readonly WireEntry[] }) {
  const list = useRef<HTMLOListElement>(null);
  /** Follows the newest message until the user scrolls up, like a terminal. */
  const following = useRef(true);
  const newest = entries.at(-1)?.seq;
  useLayoutEffect(() => {
    const element = list.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [newest]);
  const shown = entries.slice(-SHOWN_ENTRIES);
  return (
    <ol
      ref={list}
      className={styles.list}
      aria-label="QMP messages"
      onScroll={(event) => {
        const element = event.currentTarget;
        following.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
      }}
    >
      {shown.map((entry) => (
        <li key={entry.seq} className={entry.dir === 'out' ? `${styles.row} ${styles.out}` : `${styles.row} ${styles.in}`} aria-label={`${entry.dir === 'out' ? 'sent' : 'received'} ${entry.bytes} bytes at ${formatClock(entry.at)}`}>
          <div className={styles.meta}>
            <span className={styles.dir}>{entry.dir === 'out' ? '→ sent' : '← received'}</span>
            <span>{formatClock(entry.at)}</span>
            <span>{`${groupedNumber(entry.bytes)} B`}</span>
            {entry.truncated && <span className={styles.cut}>{`cut: ${groupedNumber(entry.textLength)} characters in all`}</span>}
          </div>
          <pre className={styles.text}>
            <WireText text={entry.text} />
          </pre>
        </li>
      ))}
    </ol>
  );
}
