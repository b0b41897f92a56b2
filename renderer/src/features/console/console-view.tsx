/**
 * The Console view: type QMP commands (JSON or qmp-shell shorthand) or HMP lines to the
 * selected VM, see each answer paired with its command, newest at the bottom.
 *
 * What is wrong is said before anything is sent (the schema's diagnostics, inline and listed
 * under the editor), but the user stays the judge: Enter again, or *Send anyway*, sends it
 * as typed and QEMU's answer is shown as it came. Sending goes through the store's one
 * command path, so the timeline records each command as a marker.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { HistoryEntry } from '../../../../electron/common/console-history';
import { stringifyJsonLossless } from '../../../../electron/common/json-text';
import { parseCommandText } from '../../../../electron/common/qapi/command-text';
import type { ConsoleMode, ConsoleSchema } from '../../state/console-state';
import { displayName } from '../../state/monitor-state';
import { useMonitor, useStore } from '../../state/store-context';
import { CommandEditor, type CommandEditorHandle, type HistoryDirection } from './command-editor';
import { ConsoleEntryView, eventsDuring } from './console-entry';
import { HistorySearch } from './history-search';
import { HistoryWalker } from './history-nav';
import { diagnosticsFor, schemaExtensions, signatureForText, type SchemaSupport } from './schema-extensions';
import styles from './console.module.css';

const NO_ENTRIES: readonly never[] = [];
const NO_HISTORY: readonly HistoryEntry[] = [];

/** The console of the selected VM (or a note when none is selected). */
export function ConsoleView() {
  const selectedId = useMonitor((s) => s.selectedId);
  const vm = useMonitor((s) => s.vms.find((v) => v.config.id === s.selectedId));
  if (selectedId === null || !vm) {
    return (
      <main className={styles.main} aria-label="Console">
        <h2 className={styles.title}>Console</h2>
        <p className={styles.muted}>Add or select a VM to send it commands.</p>
      </main>
    );
  }
  return <VmConsole key={selectedId} vmId={selectedId} />;
}

function VmConsole({ vmId }: { readonly vmId: string }) {
  const store = useStore();
  const vm = useMonitor((s) => s.vms.find((v) => v.config.id === vmId));
  const vms = useMonitor((s) => s.vms);
  const entries = useMonitor((s) => s.consoleEntries[vmId] ?? NO_ENTRIES);
  const history = useMonitor((s) => s.consoleHistory ?? NO_HISTORY);
  const events = useMonitor((s) => s.events);
  const schema = useMonitor((s) => s.consoleSchemas[vmId]);
  const hmpNames = useMonitor((s) => s.hmpNames[vmId]);
  const [mode, setMode] = useState<ConsoleMode>('qmp');
  const [text, setText] = useState('');
  const [warned, setWarned] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [searching, setSearching] = useState(false);
  const editor = useRef<CommandEditorHandle>(null);
  const walker = useRef(new HistoryWalker());
  const results = useRef<HTMLDivElement>(null);
  const ready = vm?.connection.phase === 'ready';
  const oobNegotiated = vm?.qemu ? vm.qemu.capabilities.includes('oob') : undefined;
  const name = vm ? displayName(vm) : vmId;

  useEffect(() => {
    void store.loadConsoleHistory();
  }, [store]);
  const build = vm?.qemu ? `${vm.qemu.version} ${vm.qemu.package}` : undefined;
  useEffect(() => {
    if (ready && build !== undefined) void store.loadConsoleSchema(vmId, build);
  }, [store, vmId, ready, build]);
  useEffect(() => {
    if (ready && mode === 'hmp') void store.loadHmpCommands(vmId);
  }, [store, vmId, ready, mode]);

  const support = useMemo<SchemaSupport>(
    () => ({ mode, model: schema?.status === 'ready' ? schema.model : undefined, hmpNames, oobNegotiated }),
    [mode, schema, hmpNames, oobNegotiated],
  );
  const extensions = useMemo(() => schemaExtensions(support), [support]);
  const diagnostics = useMemo(() => diagnosticsFor(support, text), [support, text]);
  const signature = useMemo(() => signatureForText(support, text), [support, text]);
  const texts = useMemo(() => history.filter((entry) => entry.vmId === vmId && entry.mode === mode).map((entry) => entry.text), [history, vmId, mode]);

  // Newest at the bottom: follow it when a command is sent or answered.
  const last = entries.at(-1);
  useLayoutEffect(() => {
    const element = results.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [last?.id, last?.result]);

  const send = (typed: string) => {
    setProblem(undefined);
    if (mode === 'hmp') {
      void store.sendConsoleCommand(vmId, { text: typed, command: 'human-monitor-command', argumentsJson: JSON.stringify({ 'command-line': typed.trim() }), oob: false, mode });
    } else {
      const parsed = parseCommandText(typed);
      if (!parsed.ok || parsed.command === undefined) {
        setProblem(`Not sent: ${parsed.error?.message ?? 'this is not a command'}.`);
        return;
      }
      const errors = diagnosticsFor(support, typed).filter((d) => d.severity === 'error');
      if (errors.length > 0 && warned !== typed) {
        setWarned(typed);
        return;
      }
      const argumentsJson = parsed.args !== undefined && Object.keys(parsed.args).length > 0 ? stringifyJsonLossless(parsed.args) : undefined;
      void store.sendConsoleCommand(vmId, { text: typed, command: parsed.command, ...(argumentsJson !== undefined ? { argumentsJson } : {}), oob: parsed.oob, mode });
    }
    setWarned(undefined);
    walker.current.reset();
    editor.current?.setText('');
  };

  const onHistory = useCallback(
    (direction: HistoryDirection, current: string) => (direction === 'older' ? walker.current.older(texts, current) : walker.current.newer(texts)),
    [texts],
  );
  const vmName = (id: string) => {
    const found = vms.find((v) => v.config.id === id);
    return found ? displayName(found) : id;
  };
  const endSearch = (entry: HistoryEntry | undefined) => {
    setSearching(false);
    if (entry) {
      setMode(entry.mode);
      editor.current?.setText(entry.text);
    }
    requestAnimationFrame(() => editor.current?.focus());
  };

  return (
    <main className={styles.main} aria-label={`Console of ${name}`}>
      <div className={styles.header}>
        <h2 className={styles.title}>{`Console · ${name}`}</h2>
        <label className={styles.switch}>
          <input
            type="checkbox"
            role="switch"
            checked={mode === 'hmp'}
            onChange={(event) => {
              setMode(event.target.checked ? 'hmp' : 'qmp');
              walker.current.reset();
              setWarned(undefined);
            }}
          />
          HMP mode
        </label>
        <span className={styles.hint}>
          {mode === 'hmp'
            ? 'HMP: lines go to human-monitor-command; output is shown as text.'
            : oobNegotiated
              ? 'OOB is on: start a command with ! to send it out of band (exec-oob).'
              : oobNegotiated === false
                ? 'OOB is off: this QEMU did not offer it.'
                : ''}
        </span>
        <SchemaNote schema={schema} ready={ready} />
      </div>
      <div ref={results} className={styles.results} role="log" aria-label="Commands and replies">
        {entries.length === 0 && <p className={styles.muted}>Nothing sent yet. Try query-status, or {'{"execute": "query-version"}'}.</p>}
        {entries.map((entry) => (
          <ConsoleEntryView
            key={entry.id}
            entry={entry}
            eventsMeanwhile={entry.result ? eventsDuring(events, vmId, entry.sentAt, entry.result.receivedAt) : undefined}
            onShowEvents={() => store.showTimelineFor(vmId)}
          />
        ))}
      </div>
      <div className={styles.compose}>
        {searching && <HistorySearch history={history} vmId={vmId} vmName={vmName} onDone={endSearch} />}
        <div className={styles.signature} aria-live="polite">
          {signature ?? ''}
        </div>
        <div className={styles.editorRow}>
          <span className={styles.prompt} aria-hidden="true">
            {mode === 'hmp' ? '(hmp)' : '(QEMU)'}
          </span>
          <CommandEditor
            ref={editor}
            onSubmit={send}
            onHistory={onHistory}
            onSearchHistory={() => setSearching(true)}
            onChange={(next) => {
              setText(next);
              if (warned !== undefined && next !== warned) setWarned(undefined);
            }}
            extensions={extensions}
            placeholder={mode === 'hmp' ? 'info status' : 'query-status  or  {"execute": "query-status"}'}
          />
          <button type="button" className={styles.send} disabled={text.trim() === ''} onClick={() => send(editor.current?.getText() ?? '')}>
            {warned !== undefined && warned === text ? 'Send anyway' : 'Send'}
          </button>
        </div>
        {diagnostics.length > 0 && (
          <ul className={styles.problems} aria-label="Problems">
            {diagnostics.map((d, index) => (
              <li key={`${d.from}-${d.to}-${index}`} className={d.severity === 'error' ? styles.problemError : styles.problemWarning}>
                <span className={styles.severity}>{d.severity}</span> {d.message}
              </li>
            ))}
          </ul>
        )}
        {warned !== undefined && warned === text && (
          <p className={styles.warned} role="alert">
            {`Not sent: ${diagnostics.filter((d) => d.severity === 'error').length} problem(s) above. Press Enter again (or Send anyway) to send it as typed; QEMU will judge.`}
          </p>
        )}
        {problem !== undefined && (
          <p className={styles.warned} role="alert">
            {problem}
          </p>
        )}
        <p className={styles.keys}>Enter sends · Shift+Enter new line · Ctrl+Enter sends several lines · Up/Down history · Ctrl+R search · Ctrl+Space complete</p>
      </div>
    </main>
  );
}

/** Whether completion and checks are available yet, in a few words. */
function SchemaNote({ schema, ready }: { readonly schema: ConsoleSchema | undefined; readonly ready: boolean }) {
  if (!ready) return <span className={styles.muted}>Not connected: commands fail until the VM is ready.</span>;
  if (schema === undefined || schema.status === 'loading') return <span className={styles.muted}>Reading the schema…</span>;
  if (schema.status === 'failed') return <span className={styles.muted}>{`No schema (${schema.reason}): no completion or checks.`}</span>;
  return <span className={styles.muted}>{`Schema of QEMU ${schema.qemu}`}</span>;
}
