/**
 * The QOM browser (the QOM tab): the selected VM's object tree from `/machine` and `/objects`
 * on the left, loaded as nodes open, and the selected object's properties on the right.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { VmSnapshot } from '../../../../electron/common/models';
import { displayName } from '../../state/monitor-state';
import { useMonitor, useStore } from '../../state/store-context';
import { QomProperties } from './qom-properties';
import { QomTree } from './qom-tree';
import { QomTreeState } from './qom-tree-state';
import styles from './qom.module.css';

/** The QOM view of the selected VM. */
export function QomView() {
  const vm = useMonitor((s) => s.vms.find((v) => v.config.id === s.selectedId));
  if (!vm || vm.connection.phase !== 'ready') {
    return (
      <main className={styles.main} aria-label="QOM">
        <h2 className={styles.title}>QOM</h2>
        <p className={styles.muted}>{vm ? `${displayName(vm)} is not connected (${vm.connection.phase}).` : 'Add or select a VM to browse its objects.'}</p>
      </main>
    );
  }
  // A new tree per VM and per connection: another QEMU behind the same VM has other objects.
  return <QomBrowser key={`${vm.config.id}:${vm.connection.since}`} vm={vm} />;
}

function QomBrowser({ vm }: { readonly vm: VmSnapshot }) {
  const store = useStore();
  const vmId = vm.config.id;
  const [tree] = useState(
    () =>
      new QomTreeState({
        list: (path) => store.readQomProperties(vmId, path),
        get: async (path, property) => {
          const outcome = await store.readQomValue(vmId, path, property);
          if (!outcome.ok) throw new Error(`${outcome.errorClass}: ${outcome.desc}`);
          return outcome.returnJson;
        },
      }),
  );
  useEffect(() => {
    void tree.expand('/machine');
    return () => tree.dispose();
  }, [tree]);
  const view = useSyncExternalStore(tree.subscribe, tree.getView);
  const selected = view.nodes.get(view.selected);
  const load = view.loads.get(view.selected);
  useEffect(() => {
    void tree.load(view.selected);
  }, [tree, view.selected]);
  const path = tree.objectPathOf(view.selected);
  return (
    <main className={styles.main} aria-label={`QOM of ${displayName(vm)}`}>
      <div className={styles.header}>
        <h2 className={styles.title}>{`QOM · ${displayName(vm)}`}</h2>
        <span className={styles.muted}>Arrow keys move and open; Enter follows a link.</span>
        {view.followError && (
          <span role="alert" className={styles.error}>
            {view.followError}
          </span>
        )}
      </div>
      <div className={styles.panes}>
        <div className={styles.treePane}>
          <QomTree tree={tree} view={view} />
        </div>
        <section className={styles.propertiesPane} aria-label="Properties">
          {selected?.kind === 'link' && (
            <p className={styles.muted}>
              {`Link ${selected.name} (${selected.type}); `}
              <button type="button" className={styles.linkButton} onClick={() => void tree.follow(selected.key)}>
                Go to the target
              </button>
            </p>
          )}
          {load?.status === 'failed' ? (
            <p className={styles.error}>{`Could not read ${path ?? view.selected}: ${load.error}`}</p>
          ) : (
            <QomProperties vmId={vmId} path={path} properties={load?.status === 'ready' ? load.properties : undefined} />
          )}
        </section>
      </div>
    </main>
  );
}
