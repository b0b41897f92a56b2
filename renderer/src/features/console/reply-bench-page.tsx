/**
 * The page `npm run bench` loads into Chromium for `console-reply-50mb` (bench/console-bench.ts);
 * not part of the app (nothing imports it).
 *
 * It makes a 50 MB QMP-like reply in the page and times, in the same page, `JSON.parse` of the
 * text against showing the console's reply tree for the same text until its first level is in
 * the DOM and laid out (the tree parses the text itself, losslessly, so the parse is inside its
 * time), and one expand of a first-level item: the frame a person waits for.
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { JsonTree } from '../../ui/json-tree';

/** A `query-blockstats`-like list of objects, `bytes` long or a little more, as one JSON text. */
function makeReply(bytes: number): string {
  const parts: string[] = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const item = JSON.stringify({
      device: `drive${i}`,
      'node-name': `#block${i}`,
      stats: { rd_bytes: i * 4096, wr_bytes: i * 512, rd_operations: i, wr_operations: i * 2, flush_total_time_ns: i * 1000, idle_time_ns: 123456789 },
      parent: { stats: { rd_bytes: i, wr_bytes: i * 3 } },
      qdev: `/machine/peripheral/virtio-disk${i}/virtio-backend`,
    });
    parts.push(item);
    size += item.length + 1;
  }
  return `[${parts.join(',')}]`;
}

let text = '';
/** Keeps parsed values alive so the engine cannot skip the work. */
let sink: unknown;

/** What the bench calls through `page.evaluate`. */
const api = {
  make(bytes: number): number {
    text = makeReply(bytes);
    return text.length;
  },
  parse(): number {
    const began = performance.now();
    sink = JSON.parse(text);
    return performance.now() - began;
  },
  /** Renders the tree, times it to the first level laid out, and (if asked) one expand. */
  render(expand: boolean): { readonly ms: number; readonly items: number; readonly expandMs: number } {
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    const began = performance.now();
    flushSync(() => root.render(<JsonTree json={text} label="Reply" wholeText={text} wholeName="reply" />));
    const items = host.querySelectorAll('[role="treeitem"]').length;
    void host.getBoundingClientRect().height;
    const ms = performance.now() - began;
    let expandMs = 0;
    if (expand) {
      const caret = host.querySelector<HTMLElement>('[role="treeitem"] [aria-hidden="true"]');
      const opened = performance.now();
      flushSync(() => caret?.click());
      void host.getBoundingClientRect().height;
      expandMs = performance.now() - opened;
    }
    sink = items;
    root.unmount();
    host.remove();
    return { ms, items, expandMs };
  },
  sink: () => sink !== undefined,
};

(globalThis as unknown as { qmpReplyBench: typeof api }).qmpReplyBench = api;
