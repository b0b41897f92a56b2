/**
 * "Share this monitor" for one VM: the switch, where other QMP tools connect, and who does.
 *
 * QEMU serves one client per monitor, so while the app holds a VM every other tool would hang;
 * this card is where a user sees that the app lets them in (and turns it off), copies the
 * path to give to qmp-shell or a script, and sees which processes use the VM right now.
 */
import { useId, useState } from 'react';
import type { ShareClient, ShareState, VmSnapshot } from '../../../../electron/common/models';
import { shareClientLabel } from '../../lib/share-client';
import { messageOf } from '../../state/monitor-store';
import { useStore } from '../../state/store-context';
import { BreakableText } from '../../ui/breakable-text';
import hidden from '../../ui/visually-hidden.module.css';
import styles from './share-panel.module.css';

/** What the endpoint's state means for a user, in one sentence. */
function stateNote(share: ShareState | undefined): string {
  switch (share?.status) {
    case 'listening':
      return 'Other QMP tools (qmp-shell, scripts) can use this path as if it were QEMU\u2019s socket; qmp-monitor given the VM\u2019s own target comes here by itself.';
    case 'waiting':
      return 'The endpoint opens when the app connects to this VM.';
    case 'failed':
      return 'The endpoint could not be opened.';
    case 'off':
    case undefined:
      return 'Off: while the app is connected, other tools using QEMU\u2019s socket wait until it lets go.';
  }
}

/** The card for `vm`'s shared endpoint. */
export function SharePanel({ vm }: { readonly vm: VmSnapshot }) {
  const store = useStore();
  const switchId = useId();
  const [requestError, setRequestError] = useState<string | null>(null);
  const share = vm.share;
  const enabled = share?.enabled ?? vm.config.share !== false;

  // Never disabled while a change is on its way: a disabled control drops the keyboard focus,
  // and the core applies changes one at a time in the order sent anyway.
  const toggle = async (on: boolean) => {
    setRequestError(null);
    try {
      await store.setSharing(vm.config.id, on);
    } catch (error) {
      setRequestError(messageOf(error));
    }
  };

  const problem = requestError ?? share?.error;
  return (
    <section aria-labelledby="share-title" className={styles.section}>
      <div className={styles.head}>
        <h3 id="share-title">Shared monitor</h3>
        <label className={styles.switch} htmlFor={switchId}>
          <input id={switchId} type="checkbox" role="switch" checked={enabled} onChange={(event) => void toggle(event.target.checked)} />
          Share this monitor
        </label>
      </div>
      <p className={styles.note}>{stateNote(share)}</p>
      {problem && (
        <p role="alert" className={styles.alert}>
          {problem}
        </p>
      )}
      {share?.endpoint?.unixPath !== undefined && <EndpointLine label="Endpoint" copyName="Copy endpoint path" text={share.endpoint.unixPath} />}
      {share?.endpoint?.tcp !== undefined && <EndpointLine label="TCP endpoint" copyName="Copy TCP endpoint" text={share.endpoint.tcp} />}
      {share?.status === 'listening' && <ClientTable clients={share.clients} />}
    </section>
  );
}

/** One endpoint address with its Copy button and a line saying whether the copy worked. */
function EndpointLine({ label, copyName, text }: { readonly label: string; readonly copyName: string; readonly text: string }) {
  const [copied, setCopied] = useState<{ readonly ok: boolean; readonly text: string } | null>(null);
  const copy = async () => {
    try {
      if (typeof navigator === 'undefined' || !navigator.clipboard) throw new Error('this browser offers no clipboard here');
      await navigator.clipboard.writeText(text);
      setCopied({ ok: true, text: `Copied ${text}` });
    } catch (error) {
      setCopied({ ok: false, text: `Copy failed: the clipboard was refused (${messageOf(error)})` });
    }
  };
  return (
    <div className={styles.endpoint}>
      <span className={styles.term}>{label}</span>
      <code className={styles.path} aria-label={label}>
        <BreakableText text={text} />
      </code>
      <button type="button" onClick={() => void copy()}>
        {copyName}
      </button>
      <span role="status" className={copied?.ok === false ? styles.copyFailed : styles.copyStatus}>
        {copied?.text ?? ''}
      </span>
    </div>
  );
}

/** The clients connected through the endpoint now; rows keyed by the endpoint's client id. */
function ClientTable({ clients }: { readonly clients: readonly ShareClient[] }) {
  if (clients.length === 0) return <p className={styles.note}>No other client is connected.</p>;
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <caption className={hidden.visuallyHidden}>Clients of the shared monitor</caption>
        <thead>
          <tr>
            <th scope="col">Process</th>
            <th scope="col">PID</th>
            <th scope="col">Connected since</th>
            <th scope="col">Commands</th>
          </tr>
        </thead>
        <tbody>
          {clients.map((client) => {
            const since = new Date(client.connectedAt);
            return (
              <tr key={client.id}>
                <td>{client.processName ?? shareClientLabel({ peer: client.peer })}</td>
                <td className={styles.number}>{client.pid ?? '—'}</td>
                <td>
                  <time dateTime={since.toISOString()}>{since.toLocaleTimeString('en-GB')}</time>
                </td>
                <td className={styles.number}>{client.commands}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
