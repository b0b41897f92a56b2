/**
 * Up/Down through the console history, as a shell does: the first Up keeps what was being
 * typed as a draft, Down past the newest entry brings the draft back.
 */

/** Walks a list of texts (oldest first); reset after each send. */
export class HistoryWalker {
  /** Index into the list while walking; null while editing the draft. */
  private index: number | null = null;
  private draft = '';

  /** The text one step older, or undefined at the oldest (the editor then stays as it is). */
  older(texts: readonly string[], current: string): string | undefined {
    if (texts.length === 0) return undefined;
    if (this.index === null) {
      this.draft = current;
      this.index = texts.length;
    }
    if (this.index === 0) return undefined;
    this.index -= 1;
    return texts[this.index];
  }

  /** The text one step newer, the draft after the newest, or undefined when not walking. */
  newer(texts: readonly string[]): string | undefined {
    if (this.index === null) return undefined;
    this.index += 1;
    if (this.index >= texts.length) {
      this.index = null;
      return this.draft;
    }
    return texts[this.index];
  }

  /** Back to editing a new draft (after a send, or when the list changes under it). */
  reset(): void {
    this.index = null;
    this.draft = '';
  }
}
