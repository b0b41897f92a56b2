/**
 * The list-shaped details (CPUs, block devices) as captioned tables.
 */
import type { ReactNode } from 'react';
import type { JsonValue } from '../../../../electron/common/json-text';
import { asArray, asObject, flag, text } from '../../lib/qmp-json';
import { BreakableText } from '../../ui/breakable-text';
import { yesNo } from './detail-renderers';
import styles from './status-panel.module.css';
import hidden from '../../ui/visually-hidden.module.css';

/** query-cpus-fast: count plus one row per vCPU. */
export function renderCpus(value: JsonValue): ReactNode | null {
  const cpus = asArray(value);
  if (!cpus) return null;
  return (
    <>
      <p className={styles.count}>{cpus.length === 1 ? '1 CPU' : `${cpus.length} CPUs`}</p>
      {cpus.length > 0 && (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <caption className={hidden.visuallyHidden}>Virtual CPUs</caption>
            <thead>
              <tr>
                <th scope="col">CPU index</th>
                <th scope="col">QOM path</th>
                <th scope="col">Thread ID</th>
                <th scope="col">Target</th>
              </tr>
            </thead>
            <tbody>
              {cpus.map((entry, row) => {
                const cpu = asObject(entry);
                return (
                  <tr key={text(cpu, 'cpu-index') ?? `row-${row}`}>
                    <td>{text(cpu, 'cpu-index') ?? '—'}</td>
                    <td className={styles.mono}>
                      <BreakableText text={text(cpu, 'qom-path') ?? '—'} wholePieces />
                    </td>
                    <td>{text(cpu, 'thread-id') ?? '—'}</td>
                    <td>{text(cpu, 'target') ?? text(cpu, 'arch') ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** query-block: one row per block device with what is inserted. */
export function renderBlock(value: JsonValue): ReactNode | null {
  const devices = asArray(value);
  if (!devices) return null;
  if (devices.length === 0) return <p className={styles.count}>No block devices</p>;
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <caption className={hidden.visuallyHidden}>Block devices</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">qdev</th>
            <th scope="col">Inserted</th>
            <th scope="col">Removable</th>
            <th scope="col">Locked</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((entry, row) => {
            const device = asObject(entry);
            const inserted = asObject(device?.['inserted']);
            return (
              <tr key={`${text(device, 'device') ?? ''}|${text(device, 'qdev') ?? ''}|${row}`}>
                <td>{text(device, 'device') || '—'}</td>
                <td className={styles.mono}>
                  <BreakableText text={text(device, 'qdev') ?? '—'} wholePieces />
                </td>
                <td className={styles.mono}>
                  {inserted ? (
                    <>
                      <BreakableText text={text(inserted, 'file') ?? '?'} wholePieces />
                      {` (${text(inserted, 'drv') ?? '?'}${flag(inserted, 'ro') ? ', read-only' : ''})`}
                    </>
                  ) : (
                    'empty'
                  )}
                </td>
                <td>{yesNo(flag(device, 'removable'))}</td>
                <td>{yesNo(flag(device, 'locked'))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
