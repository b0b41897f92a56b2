/**
 * The console's part of the renderer state: each VM's sent commands with their replies.
 *
 * Kept in the store (not in the view) so leaving the Console tab or switching VMs keeps the
 * conversation, as a terminal would; bounded per VM so a session of big replies cannot grow
 * the page without end.
 */
import type { CommandOutcome } from '../../../electron/common/models';
import type { SchemaModel } from '../../../electron/common/qapi/schema-types';

/** Most entries kept per VM; the oldest go first. */
export const CONSOLE_ENTRIES_PER_VM = 200;

/** How a console line was sent: a QMP command, or an HMP line through human-monitor-command. */
export type ConsoleMode = 'qmp' | 'hmp';

/** What came back for one console command: QEMU's outcome, or why it never got an answer. */
export type ConsoleResult = CommandOutcome & {
  /** Epoch ms the answer reached the page. */
  readonly receivedAt: number;
};

/** One command as the user sent it, paired with its answer once it came. */
export interface ConsoleEntry {
  /** Unique within the page, in sending order. */
  readonly id: number;
  readonly vmId: string;
  /** The text as typed (shown above the reply). */
  readonly text: string;
  /** The QMP command sent (`human-monitor-command` in HMP mode). */
  readonly command: string;
  /** Its arguments as lossless JSON text, if any. */
  readonly argumentsJson?: string;
  readonly mode: ConsoleMode;
  readonly oob: boolean;
  /** Epoch ms when it was handed to the core. */
  readonly sentAt: number;
  /** Undefined while it runs. */
  readonly result?: ConsoleResult;
}

/** Every VM's entries, oldest first. */
export type ConsoleEntries = Readonly<Record<string, readonly ConsoleEntry[]>>;

/** The entries with `entry` added (or replaced, by id), keeping the bound. */
export function withConsoleEntry(entries: ConsoleEntries, entry: ConsoleEntry): ConsoleEntries {
  const list = entries[entry.vmId] ?? [];
  const index = list.findIndex((item) => item.id === entry.id);
  const next = index >= 0 ? list.map((item) => (item.id === entry.id ? entry : item)) : [...list, entry].slice(-CONSOLE_ENTRIES_PER_VM);
  return { ...entries, [entry.vmId]: next };
}

/** A VM's schema as the console uses it: read once per connection, on first use. */
export type ConsoleSchema =
  | { readonly status: 'loading'; readonly build: string }
  | { readonly status: 'ready'; readonly build: string; readonly model: SchemaModel; readonly qemu: string }
  | { readonly status: 'failed'; readonly build: string; readonly reason: string };

/** HMP command names (from `help`) per VM, once read. */
export type HmpNames = Readonly<Record<string, readonly string[]>>;
