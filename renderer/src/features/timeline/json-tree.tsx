/**
 * A QMP event (or any lossless JSON text) as a collapsible tree a person can walk by keyboard,
 * with copy of a value, of its path and of the whole event.
 *
 * The text is parsed with the app's lossless parser, so integers beyond 2^53 (QMP's uint64
 * sizes and offsets) are shown and copied exactly. Every string is rendered as React text,
 * never as HTML, so event data holding markup stays inert. Follows the WAI-ARIA tree pattern:
 * one tab stop, arrows to move, Right/Left to open/close, Home/End, Enter or Space to toggle.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { isJsonObject, parseJsonLossless, stringifyJsonLossless, type JsonValue } from '../../../../electron/common/json-text';
import styles from './json-tree.module.css';

/** What the tree shows and copies. */
export interface JsonTreeProps {
  /** Lossless JSON text to show (e.g. the whole event, or its `dataJson`); undefined shows "No data". */
  readonly json: string | undefined;
  /** The tree's accessible name (e.g. `STOP event from vm1`). */
  readonly label: string;
  /** Text copied by "Copy event"; the button is shown only when given. */
  readonly wholeText?: string;
  /**
   * Prefix of every copied path: '' (default) gives `data.device` for the whole event's members;
   * `data` suits a tree of `dataJson` alone. The root's members are the top-level items.
   */
  readonly rootPath?: string;
  /** How many levels start open (default 2). */
  readonly expandDepth?: number;
}

/** One node of the parsed value, with what the tree pattern's aria attributes need. */
interface TreeNode {
  /** Copyable path, unique within the tree; also the node's identity. */
  readonly path: string;
  /** Member name or array index; undefined for a scalar root. */
  readonly key: string | number | undefined;
  readonly value: JsonValue;
  readonly level: number;
  readonly parent: string | undefined;
  readonly position: number;
  readonly siblings: number;
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

/** The members of a container as [key, value] pairs (none for a scalar). */
function members(value: JsonValue): ReadonlyArray<readonly [string | number, JsonValue]> {
  if (Array.isArray(value)) return value.map((item, index) => [index, item] as const);
  if (isJsonObject(value)) return Object.entries(value);
  return [];
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

/** The visible nodes in order (for keyboard moves), given which paths are open. */
function visibleNodes(root: JsonValue, rootPath: string, expanded: ReadonlySet<string>): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (value: JsonValue, path: string, level: number) => {
    const entries = members(value);
    entries.forEach(([key, child], index) => {
      const node: TreeNode = { path: childPath(path, key), key, value: child, level, parent: level === 1 ? undefined : path, position: index + 1, siblings: entries.length };
      out.push(node);
      if (isContainer(child) && expanded.has(node.path)) walk(child, node.path, level + 1);
    });
  };
  if (isContainer(root) && members(root).length > 0) walk(root, rootPath, 1);
  else out.push({ path: rootPath, key: undefined, value: root, level: 1, parent: undefined, position: 1, siblings: 1 });
  return out;
}

/** Paths of containers up to `depth` levels deep, open at first. */
function initiallyOpen(root: JsonValue, rootPath: string, depth: number): Set<string> {
  const open = new Set<string>();
  const walk = (value: JsonValue, path: string, level: number) => {
    if (level > depth) return;
    for (const [key, child] of members(value)) {
      if (!isContainer(child)) continue;
      const path2 = childPath(path, key);
      open.add(path2);
      walk(child, path2, level + 1);
    }
  };
  walk(root, rootPath, 1);
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
export function JsonTree({ json, label, wholeText, rootPath = '', expandDepth = 2 }: JsonTreeProps) {
  const parsed = useMemo(() => (json === undefined ? undefined : parse(json)), [json]);
  if (parsed === undefined || !parsed.ok) {
    return (
      <div className={styles.jsonTree}>
        <CopyBar wholeText={wholeText} selected={undefined} />
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
  return <ParsedTree key={json} root={parsed.value} label={label} wholeText={wholeText} rootPath={rootPath} expandDepth={expandDepth} />;
}

interface ParsedTreeProps {
  readonly root: JsonValue;
  readonly label: string;
  readonly wholeText: string | undefined;
  readonly rootPath: string;
  readonly expandDepth: number;
}

function ParsedTree({ root, label, wholeText, rootPath, expandDepth }: ParsedTreeProps) {
  const [expanded, setExpanded] = useState(() => initiallyOpen(root, rootPath, expandDepth));
  const nodes = useMemo(() => visibleNodes(root, rootPath, expanded), [root, rootPath, expanded]);
  const [focusedPath, setFocusedPath] = useState<string | undefined>(undefined);
  const focused = nodes.find((node) => node.path === focusedPath) ?? nodes[0];
  const items = useRef(new Map<string, HTMLLIElement>());
  const moveFocus = useRef(false);
  const idPrefix = useId();

  useEffect(() => {
    if (!moveFocus.current || !focused) return;
    moveFocus.current = false;
    items.current.get(focused.path)?.focus();
  }, [focused]);

  const toggle = (path: string, open?: boolean) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (open ?? !next.has(path)) next.add(path);
      else next.delete(path);
      return next;
    });

  const focusNode = (node: TreeNode | undefined) => {
    if (!node) return;
    moveFocus.current = true;
    setFocusedPath(node.path);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (!focused) return;
    const index = nodes.indexOf(focused);
    const open = isContainer(focused.value) && expanded.has(focused.path);
    const hasChildren = isContainer(focused.value) && members(focused.value).length > 0;
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
        if (hasChildren) toggle(focused.path);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const renderNode = (node: TreeNode): ReactNode => {
    const container = isContainer(node.value);
    const entries = members(node.value);
    const open = container && entries.length > 0 && expanded.has(node.path);
    const isFocused = node.path === focused?.path;
    const children = open ? nodes.filter((child) => child.parent === node.path) : [];
    // Named by its own row only, not by the open subtree inside it.
    const rowId = `${idPrefix}-${nodes.indexOf(node)}`;
    return (
      <li
        key={node.path}
        ref={(element) => {
          if (element) items.current.set(node.path, element);
          else items.current.delete(node.path);
        }}
        role="treeitem"
        aria-labelledby={rowId}
        aria-level={node.level}
        aria-posinset={node.position}
        aria-setsize={node.siblings}
        aria-selected={isFocused}
        aria-expanded={container && entries.length > 0 ? open : undefined}
        tabIndex={isFocused ? 0 : -1}
        className={styles.item}
        onClick={(event) => {
          event.stopPropagation();
          setFocusedPath(node.path);
        }}
        onFocus={(event) => {
          if (event.target === event.currentTarget) setFocusedPath(node.path);
        }}
      >
        <div id={rowId} className={isFocused ? `${styles.row} ${styles.current}` : styles.row}>
          {container && entries.length > 0 ? (
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
          {node.key !== undefined && (
            <span className={typeof node.key === 'number' ? styles.index : styles.key}>{`${node.key}:`}</span>
          )}
          {node.key !== undefined && ' '}
          <ValueText value={node.value} open={open} />
        </div>
        {open && (
          <ul role="group" className={styles.group}>
            {children.map(renderNode)}
          </ul>
        )}
      </li>
    );
  };

  const topLevel = nodes.filter((node) => node.level === 1);
  return (
    <div className={styles.jsonTree}>
      <CopyBar wholeText={wholeText} selected={focused} />
      <ul role="tree" aria-label={label} className={styles.tree} onKeyDown={onKeyDown}>
        {topLevel.map(renderNode)}
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
    const count = Object.keys(value).length;
    return <span className={styles.summary}>{open ? '{' : count === 0 ? '{}' : `{…} ${count} key${count === 1 ? '' : 's'}`}</span>;
  }
  const kind = value === null ? 'null' : typeof value === 'bigint' ? 'number' : typeof value;
  return <span className={`${styles.value} ${styles[kind] ?? ''}`}>{scalarText(value)}</span>;
}

/** What the last copy did, shown in the status line. */
type CopyStatus = { readonly ok: boolean; readonly text: string } | undefined;

/**
 * The copy buttons for the selected node and the whole event, with a status line that says
 * "Copied …" or why the clipboard refused (a page without clipboard permission, a browser
 * without the API).
 */
function CopyBar({ wholeText, selected }: { readonly wholeText: string | undefined; readonly selected: TreeNode | undefined }) {
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
        <button type="button" onClick={() => void copy(wholeText, 'the whole event')}>
          Copy event
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
