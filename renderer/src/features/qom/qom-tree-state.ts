/**
 * The QOM browser's state for one VM: nodes loaded lazily as they open, link targets, what is
 * expanded and selected. A small external store (read with `useSyncExternalStore`), so the
 * async loads always work on the newest state, whatever React renders meanwhile.
 */
import type { QomProperty } from '../../../../electron/common/vm-details-shapes';
import { childNodes, childPath, objectPath, QOM_ROOTS, visibleRows, type LinkTarget, type NodeLoad, type QomNode, type VisibleRow } from './qom-model';

/** What the tree reads, through the app's store. */
export interface QomReader {
  readonly list: (path: string) => Promise<readonly QomProperty[]>;
  /** A property's value as JSON text, or throws with QEMU's error. */
  readonly get: (path: string, property: string) => Promise<string>;
}

/** One immutable view of the tree, for rendering. */
export interface QomTreeView {
  readonly rows: readonly VisibleRow[];
  readonly expanded: ReadonlySet<string>;
  readonly selected: string;
  readonly loads: ReadonlyMap<string, NodeLoad>;
  readonly links: ReadonlyMap<string, LinkTarget>;
  readonly nodes: ReadonlyMap<string, QomNode>;
  /** Why the last "follow this link" did not get there, if it did not. */
  readonly followError: string | undefined;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The tree of one VM. */
export class QomTreeState {
  private roots: QomNode[] = [...QOM_ROOTS];
  private readonly nodes = new Map<string, QomNode>(QOM_ROOTS.map((root) => [root.key, root]));
  private readonly kids = new Map<string, QomNode[]>();
  private readonly loads = new Map<string, NodeLoad>();
  private readonly links = new Map<string, LinkTarget>();
  private readonly pending = new Map<string, Promise<void>>();
  private expanded = new Set<string>();
  private selected = QOM_ROOTS[0]!.key;
  private followError: string | undefined;
  private view: QomTreeView;
  private readonly listeners = new Set<() => void>();
  private disposed = false;

  public constructor(private readonly reader: QomReader) {
    this.view = this.makeView();
  }

  /** For `useSyncExternalStore`. */
  public readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** For `useSyncExternalStore`. */
  public readonly getView = (): QomTreeView => this.view;

  /** Stops updates (the VM changed or the view closed); late answers are dropped. */
  public dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  /** The QOM path of a node's object, when known. */
  public objectPathOf(key: string): string | undefined {
    const node = this.nodes.get(key);
    return node ? objectPath(node, this.links) : undefined;
  }

  /** Moves the selection (and focus) to `key`. */
  public select(key: string): void {
    if (!this.nodes.has(key) || this.selected === key) return;
    this.selected = key;
    this.changed();
  }

  /** Opens a node, reading its object first when it was never read. */
  public async expand(key: string): Promise<void> {
    if (!this.nodes.has(key)) return;
    this.expanded = new Set(this.expanded).add(key);
    this.changed();
    await this.load(key);
  }

  /** Closes a node (what was read stays known). */
  public collapse(key: string): void {
    if (!this.expanded.has(key)) return;
    this.expanded = new Set(this.expanded);
    this.expanded.delete(key);
    this.changed();
  }

  /** Reads a node's object again (its properties, children and link targets). */
  public reload(key: string): Promise<void> {
    this.loads.delete(key);
    return this.load(key);
  }

  /** Reads a node's object once: its properties (the branches become children) and its links' targets. */
  public load(key: string): Promise<void> {
    const known = this.loads.get(key);
    if (known && known.status !== 'failed') return this.pending.get(key) ?? Promise.resolve();
    const running = this.readNode(key).finally(() => this.pending.delete(key));
    this.pending.set(key, running);
    return running;
  }

  /**
   * Selects the object a link points at, opening the tree down to it (loading each level), so
   * following a link lands on the real object, where its own children are.
   */
  public async follow(key: string): Promise<void> {
    const target = this.links.get(key);
    this.followError = undefined;
    if (!target || !('path' in target) || target.path === '') {
      this.followError = target && 'error' in target ? `The link could not be read: ${target.error}` : 'The link is not set.';
      this.changed();
      return;
    }
    const segments = target.path.split('/').filter((part) => part !== '');
    const rootKey = `/${segments[0] ?? ''}`;
    if (!this.nodes.has(rootKey)) {
      const root: QomNode = { key: rootKey, name: segments[0] ?? '', type: 'root', kind: 'root', parent: undefined, owner: undefined };
      this.roots = [...this.roots, root];
      this.nodes.set(rootKey, root);
    }
    let current = rootKey;
    for (const segment of segments.slice(1)) {
      await this.expand(current);
      const next = `${current}/${segment}`;
      if (!this.nodes.has(next)) {
        this.followError = `${target.path} was not found: ${childPath(this.objectPathOf(current) ?? current, segment)} is not a child in QOM.`;
        this.changed();
        return;
      }
      current = next;
    }
    this.select(current);
    this.changed();
  }

  private async readNode(key: string): Promise<void> {
    const node = this.nodes.get(key);
    if (!node) return;
    this.loads.set(key, { status: 'loading' });
    this.changed();
    try {
      if (node.kind === 'link' && !this.links.has(key)) await this.readLink(node);
      const path = objectPath(node, this.links);
      if (path === undefined) throw new Error(node.kind === 'link' ? 'the link is not set or could not be read' : 'the object has no path');
      const properties = await this.reader.list(path);
      if (this.disposed) return;
      const children = childNodes(node, path, properties);
      for (const child of children) this.nodes.set(child.key, child);
      this.kids.set(key, children);
      this.loads.set(key, { status: 'ready', properties });
      this.changed();
      await Promise.all(children.filter((child) => child.kind === 'link').map((child) => this.readLink(child)));
    } catch (error) {
      if (this.disposed) return;
      this.loads.set(key, { status: 'failed', error: messageOf(error) });
      this.changed();
    }
  }

  private async readLink(node: QomNode): Promise<void> {
    if (node.owner === undefined) return;
    try {
      const text = await this.reader.get(node.owner, node.name);
      const value = JSON.parse(text) as unknown;
      this.links.set(node.key, { path: typeof value === 'string' ? value : '' });
    } catch (error) {
      this.links.set(node.key, { error: messageOf(error) });
    }
    if (!this.disposed) this.changed();
  }

  private changed(): void {
    if (this.disposed) return;
    this.view = this.makeView();
    for (const listener of this.listeners) listener();
  }

  private makeView(): QomTreeView {
    return {
      rows: visibleRows(this.roots, (key) => this.kids.get(key), this.expanded),
      expanded: this.expanded,
      selected: this.selected,
      loads: new Map(this.loads),
      links: new Map(this.links),
      nodes: new Map(this.nodes),
      followError: this.followError,
    };
  }
}
