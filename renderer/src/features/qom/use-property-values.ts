/**
 * Reads the values of one object's properties with `qom-get`, on demand: when the object is
 * shown (after the selection rests a moment, so arrowing through the tree does not read every
 * object on the way) and again when asked. A property whose read fails keeps QEMU's error.
 */
import { useCallback, useEffect, useState } from 'react';
import type { QomProperty } from '../../../../electron/common/vm-details-shapes';
import { messageOf } from '../../state/monitor-store';
import { useStore } from '../../state/store-context';

/** How long the selection must rest before its values are read. */
const SETTLE_MS = 200;

/** One value as shown. */
export type PropertyValue = { readonly status: 'loading' } | { readonly status: 'ok'; readonly json: string } | { readonly status: 'failed'; readonly error: string };

/** Values by property name, and a way to read one again (after a qom-set, say). */
export interface PropertyValues {
  readonly values: ReadonlyMap<string, PropertyValue>;
  readonly readAgain: (name?: string) => void;
  /** Shows a value known from elsewhere (the read-back of a qom-set). */
  readonly show: (name: string, value: PropertyValue) => void;
}

/** Reads the values of `properties` of the object at `path` on VM `vmId`. */
export function usePropertyValues(vmId: string, path: string | undefined, properties: readonly QomProperty[]): PropertyValues {
  const store = useStore();
  const [state, setState] = useState<{ readonly path: string | undefined; readonly values: ReadonlyMap<string, PropertyValue> }>({ path, values: new Map() });
  // A request for one path; another path always starts with every value.
  const [request, setRequest] = useState<{ readonly path: string | undefined; readonly names: readonly string[] | 'all'; readonly n: number }>({ path, names: 'all', n: 0 });

  const values = state.path === path ? state.values : new Map<string, PropertyValue>();

  useEffect(() => {
    if (path === undefined || properties.length === 0) return;
    const controller = new AbortController();
    const names = request.path === path ? request.names : 'all';
    const wanted = names === 'all' ? properties.map((p) => p.name) : names;
    const set = (name: string, value: PropertyValue) =>
      setState((current) => ({ path, values: new Map(current.path === path ? current.values : []).set(name, value) }));
    const timer = setTimeout(() => {
      for (const name of wanted) {
        set(name, { status: 'loading' });
        store.readQomValue(vmId, path, name, { signal: controller.signal }).then(
          (outcome) => {
            if (!controller.signal.aborted) set(name, outcome.ok ? { status: 'ok', json: outcome.returnJson } : { status: 'failed', error: `${outcome.errorClass}: ${outcome.desc}` });
          },
          (error: unknown) => {
            if (!controller.signal.aborted) set(name, { status: 'failed', error: messageOf(error) });
          },
        );
      }
    }, names === 'all' ? SETTLE_MS : 0);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [store, vmId, path, properties, request]);

  const readAgain = useCallback((name?: string) => setRequest((r) => ({ path, names: name === undefined ? 'all' : [name], n: r.n + 1 })), [path]);
  const show = useCallback(
    (name: string, value: PropertyValue) => setState((current) => ({ path, values: new Map(current.path === path ? current.values : []).set(name, value) })),
    [path],
  );
  return { values, readAgain, show };
}
