/**
 * The terminal of the interactive shell, shared by readline's input line and our output.
 *
 * Events arrive whenever QEMU sends them, often while a person is half-way through a line or
 * while a command is still running. Writing them straight to the terminal garbles both (the
 * prompt got printed in front of the next reply: `(QEMU) {`). So every line of output goes
 * through `print`, which writes it above the input line and redraws that line as it was.
 */
import { clearScreenDown, cursorTo, moveCursor, type Interface } from 'node:readline';

/** Writes output above the line being typed; shows the prompt only while waiting for input. */
export class PromptScreen {
  public constructor(
    private readonly rl: Interface,
    private readonly out: NodeJS.WriteStream,
    private prompt: string,
  ) {
    rl.setPrompt(prompt);
  }

  /** Changes the prompt shown from the next `commandDone` on (`TRANS> ` inside a block). */
  public setPrompt(prompt: string): void {
    this.prompt = prompt;
    // At the prompt (not while a command runs, when it is hidden) the change shows at once.
    if (this.rl.getPrompt() !== '') this.rl.setPrompt(prompt);
  }

  /** Prints `text` (one or more lines) above the input line, then redraws prompt and input. */
  public print(text: string): void {
    // Back to where the prompt starts (the input may wrap over several rows), then clear it.
    const { rows } = this.rl.getCursorPos();
    if (rows > 0) moveCursor(this.out, 0, -rows);
    cursorTo(this.out, 0);
    clearScreenDown(this.out);
    // readline redraws from `rows` rows above where it thinks its cursor is: put it there.
    this.out.write(`${text}\n${'\n'.repeat(rows)}`);
    this.rl.prompt(true);
  }

  /** A command was entered: until its reply, keys typed ahead show without a prompt. */
  public commandStarted(): void {
    this.rl.setPrompt('');
  }

  /** The reply was printed: the prompt comes back, with whatever was typed ahead. */
  public commandDone(): void {
    this.rl.setPrompt(this.prompt);
    this.rl.prompt(true);
  }

  /**
   * Ctrl-C: shows what was typed with `^C` above, and empties the line (the shell goes on).
   *
   * Ctrl-E then Ctrl-U are readline's own keys for "end of line" and "delete to line start".
   */
  public cancelLine(): void {
    const shown = `${this.rl.getPrompt()}${this.rl.line}^C`;
    this.rl.write(null, { ctrl: true, name: 'e' });
    this.rl.write(null, { ctrl: true, name: 'u' });
    this.print(shown);
  }
}
