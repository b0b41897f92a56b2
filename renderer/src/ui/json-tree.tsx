/**
 * Lossless JSON text (a QMP event, a command's reply) as a collapsible tree a person can walk
 * by keyboard, with copy of a value, of its path and of the whole text.
 *
 * The text is parsed with the app's lossless parser, so integers beyond 2^53 (QMP's uint64
 * sizes and offsets) are shown and copied exactly. Every string is rendered as React text,
 * never as HTML, so data holding markup stays inert. Follows the WAI-ARIA tree pattern: one
 * tab stop, arrows to move, Right/Left to open/close, Home/End, Enter or Space to toggle.
 *
 * It renders lazily, because a reply can be 50 MB (`query-qmp-schema`, a big `query-block`):
 * only open containers are walked, only as many nodes open at first as {@link OPEN_BUDGET}
 * allows (so a huge reply shows its first level only), and a container's members come in
 * pages of {@link PAGE_SIZE} with a "Show more" item, so no frame has to build the whole value.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { isJsonObject, parseJsonLossless, stringifyJsonLossless, type JsonObject, type JsonValue } from '../../../electron/common/json-text';
import styles from './json-tree.module.css';
import { groupedNumber } from '../lib/format';

/** Members of one container shown per page. */
export const PAGE_SIZE = 100;
/** Most nodes the initial opening may show; beyond it containers start closed. */
export const OPEN_BUDGET = 200;

/** What the tree shows and copies. */
export interface JsonTreeProps {
  /** Lossless JSON text to show (e.g. the whole event, or its `dataJson`); undefined shows "No data". */
  readonly json: string | undefined;
  /** The tree's accessible name (e.g. `STOP event from vm1`). */
  readonly label: string;
  /** Text copied by "Copy <whole>"; the button is shown only when given. */
  readonly wholeText?: string;
  /** What the whole text is, for its copy button ("Copy event", the default, or "Copy reply"). */
  readonly wholeName?: string;
  /**
   * Prefix of every copied path: '' (default) gives `data.device` for the whole event's members;
   * `data` suits a tree of `dataJson` alone. The root's members are the top-level items.
   */
  readonly rootPath?: string;
  /** How many levels start open (default 2), within {@link OPEN_BUDGET} nodes. */
  readonly expandDepth?: number;
  /** An already parsed value of `json` (skips the parse; the console's bench measures both). */
  readonly parsed?: JsonValue;
}

/** A value node or the "show more" item that ends a page. */
interface TreeNode {
  /** Copyable path, unique within the tree; also the node's identity. */
  readonly path: string;
  /** Member name or array index; undefined for a scalar root and for a "more" item. */
  readonly key: string | number | undefined;
  readonly value: JsonValue;
  readonly level: number;
  readonly parent: string | undefined;
  readonly position: number;
  readonly siblings: number;
  /** Set on a "show more" item: the container path it pages and how many members are left. */
  readonly more?: { readonly container: string; readonly remaining: number };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The path of a member, as a reader would type it in JavaScript or jq-like tools:
 * `data.device`, `data.items[2].name`, `data["node-name"]`.
 */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

const keyCache = new WeakMap<JsonObject, readonly string[]>();

/** An object's keys, read once per object (a 100,000-key object is walked once, not per frame). */
function keysOf(value: JsonObject): readonly string[] {
  let keys = keyCache.get(value);
  if (!keys) {
    keys = Object.keys(value);
    keyCache.set(value, keys);
  }
  return keys;
}

/** How many members a container has (0 for a scalar), without building them. */
function sizeOf(value: JsonValue): number {
  if (Array.isArray(value)) return value.length;
  if (isJsonObject(value)) return keysOf(value).length;
  return 0;
}

/** The member at `index` of a container, as [key, value]. */
function memberAt(value: JsonValue, index: number): readonly [string | number, JsonValue] {
  if (Array.isArray(value)) return [index, value[index] as JsonValue];
  const key = keysOf(value as JsonObject)[index]!;
  return [key, (value as JsonObject)[key] as JsonValue];
}

function isContainer(value: JsonValue): boolean {
  return Array.isArray(value) || isJsonObject(value);
}

/**
 * What a copy of a value puts on the clipboard: a string's own text (what one pastes into a
 * command), any other value as exact JSON (bigint digits kept), containers indented.
 */
export function copyTextOf(value: JsonValue): string {
  if (typeof value === 'string') return value;
  return stringifyJsonLossless(value, isContainer(value) ? 2 : undefined);
}

/** A scalar for display: strings quoted and escaped as JSON, big integers in full. */
function scalarText(value: JsonValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return stringifyJsonLossless(value);
}

/** Which containers are open and how many members of each are shown. */
interface OpenState {
  readonly open: ReadonlySet<string>;
  /** Members shown per container path beyond the first page. */
  readonly shown: ReadonlyMap<string, number>;
}

/** The visible nodes in order (for keyboard moves) and each open container's children. */
interface Visible {
  readonly nodes: readonly TreeNode[];
  readonly children: ReadonlyMap<string | undefined, readonly TreeNode[]>;
}

/** Walks only what is open and shown: the cost is what is on screen, not the value's size. */
function visibleNodes(root: JsonValue, rootPath: string, state: OpenState): Visible {
  const nodes: TreeNode[] = [];
  const children = new Map<string | undefined, TreeNode[]>();
  const walk = (value: JsonValue, path: string, level: number) => {
    const parent = level === 1 ? undefined : path;
    const size = sizeOf(value);
    const shown = Math.min(size, state.shown.get(path) ?? PAGE_SIZE);
    const list: TreeNode[] = [];
    children.set(parent, list);
    for (let index = 0; index < shown; index++) {
      const [key, child] = memberAt(value, index);
      const node: TreeNode = { path: childPath(path, key), key, value: child, level, parent, position: index + 1, siblings: size };
      nodes.push(node);
      list.push(node);
      if (isContainer(child) && state.open.has(node.path)) walk(child, node.path, level + 1);
    }
    if (shown < size) {
      const more: TreeNode = { path: `${path}\u0000more`, key: undefined, value: null, level, parent, position: shown + 1, siblings: size, more: { container: path, remaining: size - shown } };
      nodes.push(more);
      list.push(more);
    }
  };
  if (sizeOf(root) > 0) walk(root, rootPath, 1);
  else {
    const only: TreeNode = { path: rootPath, key: undefined, value: root, level: 1, parent: undefined, position: 1, siblings: 1 };
    nodes.push(only);
    children.set(undefined, [only]);
  }
  return { nodes, children };
}

/**
 * Paths of containers up to `depth` levels deep, open at first, level by level while the
 * nodes they show stay within {@link OPEN_BUDGET}: a small event opens two levels, a 50 MB
 * reply shows its first page of top-level members only.
 */
function initiallyOpen(root: JsonValue, rootPath: string, depth: number): Set<string> {
  const open = new Set<string>();
  let budget = OPEN_BUDGET - Math.min(sizeOf(root), PAGE_SIZE);
  let frontier: Array<readonly [JsonValue, string]> = [[root, rootPath]];
  // A level opens whole or not at all, so the first items never look different from the rest.
  for (let level = 1; level <= depth && frontier.length > 0; level++) {
    const next: Array<readonly [JsonValue, string]> = [];
    let cost = 0;
    for (const [value, path] of frontier) {
      const shown = Math.min(sizeOf(value), PAGE_SIZE);
      for (let index = 0; index < shown && cost <= budget; index++) {
        const [key, child] = memberAt(value, index);
        if (!isContainer(child) || sizeOf(child) === 0) continue;
        cost += Math.min(sizeOf(child), PAGE_SIZE);
        next.push([child, childPath(path, key)]);
      }
    }
    if (cost > budget) break;
    budget -= cost;
    for (const [, path] of next) open.add(path);
    frontier = next;
  }
  return open;
}

/** Parsed text, or the reason it is not JSON. */
type Parsed = { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly reason: string };

function parse(json: string): Parsed {
  try {
    return { ok: true, value: parseJsonLossless(json) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The collapsible JSON tree with its copy toolbar; see {@link JsonTreeProps}. */
export function JsonTree({ json, label, wholeText, wholeName = 'event', rootPath = '', expandDepth = 2, parsed: given }: JsonTreeProps) {
  const parsed = useMemo<Parsed | undefined>(() => (given !== undefined ? { ok: true, value: given } : json === undefined ? undefined : parse(json)), [json, given]);
  if (parsed === undefined || !parsed.ok) {
    return (
      <div className={styles.jsonTree}>
        <CopyBar wholeText={wholeText} wholeName={wholeName} selected={undefined} />
        {parsed === undefined ? (
          <p className={styles.note}>No data.</p>
        ) : (
          <>
            <p className={styles.note}>Not valid JSON ({parsed.reason}); shown as text:</p>
            <pre className={styles.raw}>{json}</pre>
          </>
        )}
      </div>
    );
  }
  return <ParsedTree key={json} root={parsed.value} label={label} wholeText={wholeText} wholeName={wholeName} rootPath={rootPath} expandDepth={expandDepth} />;
}

interface ParsedTreeProps {
  readonly root: JsonValue;
  readonly label: string;
  readonly wholeText: string | undefined;
  readonly wholeName: string;
  readonly rootPath: string;
  readonly expandDepth: number;
}

function ParsedTree({ root, label, wholeText, wholeName, rootPath, expandDepth }: ParsedTreeProps) {
  const [state, setState] = useState<OpenState>(() => ({ open: initiallyOpen(root, rootPath, expandDepth), shown: new Map() }));
  const { nodes, children } = useMemo(() => visibleNodes(root, rootPath, state), [root, rootPath, state]);
  const [focusedPath, setFocusedPath] = useState<string | undefined>(undefined);
  const focused = (focusedPath === undefined ? undefined : nodes.find((node) => node.path === focusedPath)) ?? nodes[0];
  const items = useRef(new Map<string, HTMLLIElement>());
  const moveFocus = useRef(false);
  const idPrefix = useId();

  useEffect(() => {
    if (!moveFocus.current || !focused) return;
    moveFocus.current = false;
    items.current.get(focused.path)?.focus();
  }, [focused]);

  const toggle = (path: string, open?: boolean) =>
    setState((current) => {
      const next = new Set(current.open);
      if (open ?? !next.has(path)) next.add(path);
      else next.delete(path);
      return { ...current, open: next };
    });

  /** Shows the next page of a container; focus goes to the first member of that page. */
  const showMore = (node: TreeNode) => {
    if (!node.more) return;
    const { container } = node.more;
    const shownBefore = node.position - 1;
    setState((current) => ({ ...current, shown: new Map(current.shown).set(container, shownBefore + PAGE_SIZE) }));
    moveFocus.current = true;
    setFocusedPath(pathAtIndex(container, shownBefore, node));
  };

  /** The path the member at `index` of the paged container will have once shown. */
  const pathAtIndex = (container: string, index: number, moreNode: TreeNode): string => {
    const owner = container === rootPath && moreNode.level === 1 ? root : nodes.find((node) => node.path === container)?.value;
    if (owner === undefined || index >= sizeOf(owner)) return moreNode.path;
    return childPath(container, memberAt(owner, index)[0]);
  };

  const focusNode = (node: TreeNode | undefined) => {
    if (!node) return;
    moveFocus.current = true;
    setFocusedPath(node.path);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (!focused) return;
    const index = nodes.indexOf(focused);
    const hasChildren = !focused.more && sizeOf(focused.value) > 0;
    const open = hasChildren && state.open.has(focused.path);
    switch (event.key) {
      case 'ArrowDown':
        focusNode(nodes[index + 1]);
        break;
      case 'ArrowUp':
        focusNode(nodes[index - 1]);
        break;
      case 'Home':
        focusNode(nodes[0]);
        break;
      case 'End':
        focusNode(nodes[nodes.length - 1]);
        break;
      case 'ArrowRight':
        if (hasChildren && !open) toggle(focused.path, true);
        else if (open) focusNode(nodes[index + 1]);
        break;
      case 'ArrowLeft':
        if (open) toggle(focused.path, false);
        else focusNode(nodes.find((node) => node.path === focused.parent));
        break;
      case 'Enter':
      case ' ':
        if (focused.more) showMore(focused);
        else if (hasChildren) toggle(focused.path);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const renderNode = (node: TreeNode): ReactNode => {
    const entries = node.more ? 0 : sizeOf(node.value);
    const open = entries > 0 && state.open.has(node.path);
    const isFocused = node.path === focused?.path;
    // Named by its own row only, not by the open subtree inside it.
    const rowId = `${idPrefix}-${node.level}-${node.position}-${node.parent ?? ''}`;
    const common = {
      ref: (element: HTMLLIElement | null) => {
        if (element) items.current.set(node.path, element);
        else items.current.delete(node.path);
      },
      role: 'treeitem',
      'aria-labelledby': rowId,
      'aria-level': node.level,
      'aria-posinset': node.position,
      'aria-setsize': node.siblings,
      'aria-selected': isFocused,
      tabIndex: isFocused ? 0 : -1,
      className: styles.item,
      onFocus: (event: { target: unknown; currentTarget: unknown }) => {
        if (event.target === event.currentTarget) setFocusedPath(node.path);
      },
    } as const;
    if (node.more) {
      const count = Math.min(PAGE_SIZE, node.more.remaining);
      return (
        <li
          key={node.path}
          {...common}
          onClick={(event) => {
            event.stopPropagation();
            showMore(node);
          }}
        >
          <div id={rowId} className={isFocused ? `${styles.row} ${styles.current} ${styles.more}` : `${styles.row} ${styles.more}`}>
            <span className={styles.caret} aria-hidden="true">
              …
            </span>
            {`Show ${count} more (${groupedNumber(node.more.remaining)} not shown)`}
          </div>
        </li>
      );
    }
    return (
      <li
        key={node.path}
        {...common}
        aria-expanded={entries > 0 ? open : undefined}
        onClick={(event) => {
          event.stopPropagation();
          setFocusedPath(node.path);
        }}
      >
        <div id={rowId} className={isFocused ? `${styles.row} ${styles.current}` : styles.row}>
          {entries > 0 ? (
            <span
              className={styles.caret}
              aria-hidden="true"
              onClick={(event) => {
                event.stopPropagation();
                setFocusedPath(node.path);
                toggle(node.path);
              }}
            >
              {open ? '▾' : '▸'}
            </span>
          ) : (
            <span className={styles.caret} aria-hidden="true" />
          )}
          {node.key !== undefined && <span className={typeof node.key === 'number' ? styles.index : styles.key}>{`${node.key}:`}</span>}
          {node.key !== undefined && ' '}
          <ValueText value={node.value} open={open} />
        </div>
        {open && (
          <ul role="group" className={styles.group}>
            {(children.get(node.path) ?? []).map(renderNode)}
          </ul>
        )}
      </li>
    );
  };

  return (
    <div className={styles.jsonTree}>
      <CopyBar wholeText={wholeText} wholeName={wholeName} selected={focused?.more ? undefined : focused} />
      <ul role="tree" aria-label={label} className={styles.tree} onKeyDown={onKeyDown}>
        {(children.get(undefined) ?? []).map(renderNode)}
      </ul>
    </div>
  );
}

/** A value's one-line form: scalars in full, containers as a count (and their opening mark when open). */
function ValueText({ value, open }: { readonly value: JsonValue; readonly open: boolean }) {
  if (Array.isArray(value)) {
    return <span className={styles.summary}>{open ? '[' : value.length === 0 ? '[]' : `[…] ${value.length} item${value.length === 1 ? '' : 's'}`}</span>;
  }
  if (isJsonObject(value)) {
    const count = sizeOf(value);
    return <span className={styles.summary}>{open ? '{' : count === 0 ? '{}' : `{…} ${count} key${count === 1 ? '' : 's'}`}</span>;
  }
  const kind = value === null ? 'null' : typeof value === 'bigint' ? 'number' : typeof value;
  return <span className={`${styles.value} ${styles[kind] ?? ''}`}>{scalarText(value)}</span>;
}

/** What the last copy did, shown in the status line. */
type CopyStatus = { readonly ok: boolean; readonly text: string } | undefined;

/**
 * The copy buttons for the selected node and the whole text, with a status line that says
 * "Copied …" or why the clipboard refused (a page without clipboard permission, a browser
 * without the API).
 */
function CopyBar({ wholeText, wholeName, selected }: { readonly wholeText: string | undefined; readonly wholeName: string; readonly selected: TreeNode | undefined }) {
  const [status, setStatus] = useState<CopyStatus>(undefined);
  const copy = async (text: string, what: string) => {
    try {
      if (typeof navigator === 'undefined' || !navigator.clipboard) throw new Error('this browser offers no clipboard here');
      await navigator.clipboard.writeText(text);
      setStatus({ ok: true, text: `Copied ${what}` });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      setStatus({ ok: false, text: `Copy failed: the clipboard was refused (${reason})` });
    }
  };
  const path = selected?.path ?? '';
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Copy">
      {selected && (
        <>
          <button type="button" onClick={() => void copy(copyTextOf(selected.value), `value of ${path || 'the root'}`)}>
            Copy value
          </button>
          <button type="button" disabled={path === ''} onClick={() => void copy(path, `path ${path}`)}>
            Copy path
          </button>
        </>
      )}
      {wholeText !== undefined && (
        <button type="button" onClick={() => void copy(wholeText, `the whole ${wholeName}`)}>
          {`Copy ${wholeName}`}
        </button>
      )}
      {selected && path !== '' && (
        <code className={styles.path} title="Path of the selected value">
          {path}
        </code>
      )}
      <span role="status" className={status?.ok === false ? styles.failed : styles.status}>
        {status?.text ?? ''}
      </span>
    </div>
  );
}
