/**
 * The QOM tree as plain data: which properties are branches, where nodes live, what is shown.
 *
 * `qom-list` describes an object by its properties; `child<T>` properties are the objects it
 * owns and `link<T>` properties point at objects elsewhere (their value, read with `qom-get`,
 * is the target's path). Both are branches of the tree; every other property is a value of
 * the object, shown beside the tree. A node's key is its path through the tree, which differs
 * from its QOM path only below a followed link.
 */
import type { QomProperty } from '../../../../electron/common/vm-details-shapes';

/** What a property is in the tree. */
export type BranchKind = 'child' | 'link';

/** `child` or `link` for `child<…>` / `link<…>` types, else undefined (a value). */
export function branchKind(type: string): BranchKind | undefined {
  if (type.startsWith('child<')) return 'child';
  if (type.startsWith('link<')) return 'link';
  return undefined;
}

/** The QOM path of property `name` of the object at `parent`. */
export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** One node of the tree. */
export interface QomNode {
  /** Path through the tree (unique; the React key and the tree item's id). */
  readonly key: string;
  readonly name: string;
  /** The property type (`child<container>`, `link<bus>`), or `root`. */
  readonly type: string;
  readonly kind: BranchKind | 'root';
  /** The key of the node it hangs under (undefined for a root). */
  readonly parent: string | undefined;
  /** QOM path of the object whose property this is (for qom-get of a link). */
  readonly owner: string | undefined;
}

/** What is known about one node's object. */
export interface NodeLoad {
  readonly status: 'loading' | 'ready' | 'failed';
  /** Its properties (ready). */
  readonly properties?: readonly QomProperty[];
  readonly error?: string;
}

/** A link's target: the path QEMU returned (empty: the link is not set), or why it could not be read. */
export type LinkTarget = { readonly path: string } | { readonly error: string };

/** The tree's roots, as the issue names them. */
export const QOM_ROOTS: readonly QomNode[] = [
  { key: '/machine', name: 'machine', type: 'root', kind: 'root', parent: undefined, owner: undefined },
  { key: '/objects', name: 'objects', type: 'root', kind: 'root', parent: undefined, owner: undefined },
];

/**
 * The QOM path of a node's object: its key for owned objects, the link's target for a link
 * (undefined while the target is not known or the link is unset).
 */
export function objectPath(node: QomNode, links: ReadonlyMap<string, LinkTarget>): string | undefined {
  if (node.kind === 'root') return node.key;
  if (node.kind === 'link') {
    const target = links.get(node.key);
    return target && 'path' in target && target.path !== '' ? target.path : undefined;
  }
  return node.owner === undefined ? undefined : childPath(node.owner, node.name);
}

/** The child nodes of a loaded node, branches in QEMU's order. */
export function childNodes(parent: QomNode, ownerPath: string, properties: readonly QomProperty[]): QomNode[] {
  return properties.flatMap((property) => {
    const kind = branchKind(property.type);
    return kind ? [{ key: `${parent.key}/${property.name}`, name: property.name, type: property.type, kind, parent: parent.key, owner: ownerPath }] : [];
  });
}

/** A visible row of the tree, with what ARIA needs to describe its place. */
export interface VisibleRow {
  readonly node: QomNode;
  readonly level: number;
  readonly posInSet: number;
  readonly setSize: number;
}

/** The rows shown: roots, and the children of every expanded node, depth first. */
export function visibleRows(roots: readonly QomNode[], children: (key: string) => readonly QomNode[] | undefined, expanded: ReadonlySet<string>): VisibleRow[] {
  const rows: VisibleRow[] = [];
  const walk = (nodes: readonly QomNode[], level: number) => {
    nodes.forEach((node, index) => {
      rows.push({ node, level, posInSet: index + 1, setSize: nodes.length });
      const kids = expanded.has(node.key) ? children(node.key) : undefined;
      if (kids) walk(kids, level + 1);
    });
  };
  walk(roots, 1);
  return rows;
}

/** What a key press in the tree does, following the WAI-ARIA tree pattern. */
export type TreeMove = { readonly focus: string } | { readonly expand: string } | { readonly collapse: string } | { readonly activate: string } | undefined;

/** The move for `key` pressed on row `current` (every node is a branch, so Right always opens). */
export function treeMove(rows: readonly VisibleRow[], current: string, key: string, expanded: ReadonlySet<string>): TreeMove {
  const index = rows.findIndex((row) => row.node.key === current);
  if (index < 0) return rows[0] ? { focus: rows[0].node.key } : undefined;
  const row = rows[index]!;
  const at = (i: number) => (rows[i] ? { focus: rows[i].node.key } : undefined);
  switch (key) {
    case 'ArrowDown':
      return at(index + 1);
    case 'ArrowUp':
      return at(index - 1);
    case 'Home':
      return at(0);
    case 'End':
      return at(rows.length - 1);
    case 'ArrowRight':
      if (!expanded.has(row.node.key)) return { expand: row.node.key };
      return rows[index + 1]?.node.parent === row.node.key ? at(index + 1) : undefined;
    case 'ArrowLeft':
      if (expanded.has(row.node.key)) return { collapse: row.node.key };
      return row.node.parent === undefined ? undefined : { focus: row.node.parent };
    case 'Enter':
      return { activate: row.node.key };
    default:
      return undefined;
  }
}
