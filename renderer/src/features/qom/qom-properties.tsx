/**
 * The selected QOM object's properties: name, type and the value `qom-get` returns (read when
 * the object is shown; a failed read shows QEMU's error), with Set… on each value property.
 * Owned children are the tree's branches and are left out here; links show their target.
 */
import { useMemo, useState } from 'react';
import type { QomProperty } from '../../../../electron/common/vm-details-shapes';
import { messageOf } from '../../state/monitor-store';
import { useStore } from '../../state/store-context';
import { BreakableText } from '../../ui/breakable-text';
import { branchKind } from './qom-model';
import { QomSetDialog } from './qom-set-dialog';
import { usePropertyValues, type PropertyValue } from './use-property-values';
import styles from './qom.module.css';
import hidden from '../../ui/visually-hidden.module.css';

/** Props of {@link QomProperties}. */
export interface QomPropertiesProps {
  readonly vmId: string;
  /** QOM path of the object, once known. */
  readonly path: string | undefined;
  readonly properties: readonly QomProperty[] | undefined;
}

/** What the last qom-set did, for the status line. */
type SetNote = { readonly property: string; readonly text: string; readonly failed: boolean };

function valueText(value: PropertyValue | undefined): string {
  if (value === undefined || value.status === 'loading') return 'reading…';
  return value.status === 'ok' ? value.json : value.error;
}

/** The properties table of one object. */
export function QomProperties({ vmId, path, properties }: QomPropertiesProps) {
  const store = useStore();
  const shown = useMemo(() => (properties ?? []).filter((p) => branchKind(p.type) !== 'child'), [properties]);
  const { values, readAgain, show } = usePropertyValues(vmId, path, shown);
  const [editing, setEditing] = useState<QomProperty | undefined>(undefined);
  const [note, setNote] = useState<SetNote | undefined>(undefined);

  const set = async (property: string, valueJson: string) => {
    if (path === undefined) return;
    setEditing(undefined);
    try {
      const { set: outcome, readBack } = await store.writeQomValue(vmId, path, property, valueJson);
      if (!outcome.ok) {
        setNote({ property, text: `qom-set ${property} was refused: ${outcome.errorClass}: ${outcome.desc}`, failed: true });
        return;
      }
      if (readBack?.ok) show(property, { status: 'ok', json: readBack.returnJson });
      else if (readBack) show(property, { status: 'failed', error: `${readBack.errorClass}: ${readBack.desc}` });
      setNote({ property, text: `qom-set ${property}: done; read back ${readBack?.ok ? readBack.returnJson : 'failed'}`, failed: false });
    } catch (error) {
      setNote({ property, text: `qom-set ${property} was not sent: ${messageOf(error)}`, failed: true });
    }
  };

  if (path === undefined) return <p className={styles.muted}>This link is not set or could not be read, so there is no object to show.</p>;
  if (properties === undefined) return <p className={styles.muted}>Reading the object…</p>;
  return (
    <>
      <div className={styles.propertiesHeader}>
        <h3 className={styles.objectPath}>
          <BreakableText text={path} />
        </h3>
        <button type="button" onClick={() => readAgain()}>
          Read values again
        </button>
      </div>
      {note && (
        <p role="status" className={note.failed ? styles.error : styles.muted}>
          {note.text}
        </p>
      )}
      <div className={styles.tableWrap}>
        <table className={styles.table} aria-label={`Properties of ${path}`}>
          <thead>
            <tr>
              <th scope="col">Property</th>
              <th scope="col">Type</th>
              <th scope="col">Value</th>
              <th scope="col">
                <span className={hidden.visuallyHidden}>Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((property) => {
              const value = values.get(property.name);
              return (
                <tr key={property.name}>
                  <th scope="row" className={styles.mono}>
                    {property.name}
                  </th>
                  <td className={styles.mono}>{property.type}</td>
                  <td className={value?.status === 'failed' ? `${styles.value} ${styles.error}` : styles.value}>{valueText(value)}</td>
                  <td>
                    <button type="button" onClick={() => setEditing(property)} aria-label={`Set ${property.name}`}>
                      Set…
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && <p className={styles.muted}>No value properties (only children).</p>}
      {editing && (
        <QomSetDialog
          path={path}
          property={editing.name}
          type={editing.type}
          current={(() => {
            const value = values.get(editing.name);
            return value?.status === 'ok' ? value.json : undefined;
          })()}
          onSet={(valueJson) => void set(editing.name, valueJson)}
          onCancel={() => setEditing(undefined)}
        />
      )}
    </>
  );
}
