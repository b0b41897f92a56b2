/**
 * The QOM tree (role `tree`): one `treeitem` per visible node with its level, place in its set
 * and open state, focus roving with the selection. Keys as in the WAI-ARIA tree pattern:
 * Up/Down move, Right opens (then goes to the first child), Left closes (then goes to the
 * parent), Home/End go to the ends, Enter opens or closes a node, and follows a link.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { treeMove } from './qom-model';
import type { QomTreeState, QomTreeView } from './qom-tree-state';
import styles from './qom.module.css';

/** A DOM id for a node's tree item (keys hold spaces and brackets). */
export function treeItemId(key: string): string {
  return `qom-node-${encodeURIComponent(key).replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`;
}

/** Props of {@link QomTree}. */
export interface QomTreeProps {
  readonly tree: QomTreeState;
  readonly view: QomTreeView;
}

/** The tree of one VM's QOM. */
export function QomTree({ tree, view }: QomTreeProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const focusWanted = useRef(false);

  // After a key moved the selection, focus follows it (roving tabindex).
  useEffect(() => {
    if (!focusWanted.current) return;
    focusWanted.current = false;
    listRef.current?.querySelector<HTMLElement>(`#${treeItemId(view.selected)}`)?.focus();
  }, [view.selected]);

  const activate = (key: string) => {
    const node = view.nodes.get(key);
    if (node?.kind === 'link') {
      focusWanted.current = true;
      void tree.follow(key);
    } else if (view.expanded.has(key)) tree.collapse(key);
    else void tree.expand(key);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const move = treeMove(view.rows, view.selected, event.key, view.expanded);
    if (move === undefined) return;
    event.preventDefault();
    if ('focus' in move) {
      focusWanted.current = true;
      tree.select(move.focus);
    } else if ('expand' in move) void tree.expand(move.expand);
    else if ('collapse' in move) tree.collapse(move.collapse);
    else activate(move.activate);
  };

  return (
    <ul ref={listRef} role="tree" aria-label="QOM tree" className={styles.tree} onKeyDown={onKeyDown}>
      {view.rows.map(({ node, level, posInSet, setSize }) => {
        const load = view.loads.get(node.key);
        const open = view.expanded.has(node.key);
        const link = view.links.get(node.key);
        const selected = node.key === view.selected;
        const empty = open && load?.status === 'ready' && !view.rows.some((row) => row.node.parent === node.key);
        return (
          <li
            key={node.key}
            id={treeItemId(node.key)}
            role="treeitem"
            aria-level={level}
            aria-posinset={posInSet}
            aria-setsize={setSize}
            aria-expanded={open}
            aria-selected={selected}
            aria-busy={load?.status === 'loading' || undefined}
            tabIndex={selected ? 0 : -1}
            className={selected ? `${styles.item} ${styles.selected}` : styles.item}
            style={{ paddingInlineStart: `${(level - 1) * 1.1 + 0.3}rem` }}
            onClick={() => tree.select(node.key)}
            onDoubleClick={() => activate(node.key)}
          >
            <span
              className={styles.twisty}
              aria-hidden="true"
              onClick={(event) => {
                event.stopPropagation();
                tree.select(node.key);
                if (open) tree.collapse(node.key);
                else void tree.expand(node.key);
              }}
            >
              {open ? '▾' : '▸'}
            </span>
            <span className={styles.name}>{node.kind === 'root' ? node.key : node.name}</span>
            {node.kind !== 'root' && <span className={styles.type}>{node.type}</span>}
            {node.kind === 'link' && (
              <span className={styles.link}>
                {link === undefined ? '→ …' : 'error' in link ? `→ unreadable: ${link.error}` : link.path === '' ? '→ not set' : `→ ${link.path}`}
              </span>
            )}
            {load?.status === 'loading' && <span className={styles.type}>loading…</span>}
            {load?.status === 'failed' && <span className={styles.error}>{load.error}</span>}
            {empty && <span className={styles.type}>no children</span>}
          </li>
        );
      })}
    </ul>
  );
}
