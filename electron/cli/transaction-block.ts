/**
 * qmp-shell's multi-line `transaction(` block: one action per line in shorthand, `)` sends them.
 *
 * ```
 * (QEMU) transaction(
 * TRANS> blockdev-snapshot-sync device=d0 snapshot-file=/tmp/s0.qcow2 format=qcow2
 * TRANS> blockdev-snapshot-sync device=d1 snapshot-file=/tmp/s1.qcow2 format=qcow2
 * TRANS> )
 * ```
 * becomes one `transaction` command whose `actions` are `{"type": NAME, "data": {ARGS}}`, as
 * qmp-shell builds it, so people can paste what they used there. The first action may follow
 * `transaction(` on its line. A line that cannot be read as an action is refused and the
 * block stays open (retype it); anything after the closing `)` discards the whole block, since
 * a half-understood transaction must not be sent.
 */
import type { JsonObject } from '../common/json-text';
import { parseShorthand } from '../common/qapi/shorthand';
import type { ShellLine } from './shell-line';

/** The word that opens a block. */
export const TRANSACTION_OPEN = 'transaction(';

/** Collects the actions of one block at a time. */
export class TransactionBlock {
  private actions: JsonObject[] | undefined;

  /** True while a block is open (the prompt says `TRANS> `). */
  public get isOpen(): boolean {
    return this.actions !== undefined;
  }

  /** How many actions the open block holds. */
  public get actionCount(): number {
    return this.actions?.length ?? 0;
  }

  /**
   * Reads `line` if it belongs to a block (opens one, adds an action, closes it); returns
   * undefined for a line outside any block, which the caller reads as an ordinary command.
   */
  public feed(line: string): ShellLine | undefined {
    const text = line.trim();
    if (this.actions === undefined) {
      if (text !== TRANSACTION_OPEN && !text.startsWith(`${TRANSACTION_OPEN} `) && !text.startsWith(`${TRANSACTION_OPEN}\t`)) return undefined;
      this.actions = [];
      const rest = text.slice(TRANSACTION_OPEN.length).trim();
      return rest === '' ? { kind: 'skip' } : this.inBlock(rest);
    }
    return this.inBlock(text);
  }

  /** Drops an open block (Ctrl-C); true when there was one. */
  public cancel(): boolean {
    const was = this.actions !== undefined;
    this.actions = undefined;
    return was;
  }

  /** Input ended: an open block is a mistake to report, never a command to send. */
  public end(): ShellLine | undefined {
    if (!this.cancel()) return undefined;
    return { kind: 'invalid', message: `input ended inside '${TRANSACTION_OPEN}' (close it with a line holding ')'): nothing was sent` };
  }

  private inBlock(text: string): ShellLine {
    const actions = this.actions ?? [];
    if (text === '' || text.startsWith('#')) return { kind: 'skip' };
    if (text.startsWith(')')) {
      this.actions = undefined;
      const extra = text.slice(1).trim();
      if (extra !== '') return { kind: 'invalid', message: `unexpected '${extra}' after the ')' closing the transaction: nothing was sent` };
      return { kind: 'command', command: { command: 'transaction', args: { actions }, oob: false, userId: undefined } };
    }
    try {
      const { command, args } = parseShorthand(text);
      actions.push({ type: command, data: args ?? {} });
      return { kind: 'skip' };
    } catch (error) {
      return { kind: 'invalid', message: `transaction action not added: ${(error as Error).message}` };
    }
  }
}
