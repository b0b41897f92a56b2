/**
 * A growable list of buffer positions in a typed array.
 *
 * A filter that lets most of a million events through (hiding the app's markers, say) keeps
 * a million positions: pushed one by one into a plain array that cost tens of milliseconds of
 * copying and garbage; here the array doubles in place, and each snapshot reads the storage
 * it was taken from (never overwritten below its length), so a view stays valid after later
 * pushes. Float64, as positions count every event since start-up and may pass 2³¹.
 */
export class PositionList {
  private storage = new Float64Array(1024);
  private size = 0;

  /** How many positions are held. */
  get length(): number {
    return this.size;
  }

  /** The current storage: its first {@link length} entries are the positions. */
  get data(): Float64Array {
    return this.storage;
  }

  /** Appends `position`. */
  push(position: number): void {
    if (this.size === this.storage.length) {
      const grown = new Float64Array(Math.max(1024, this.storage.length * 2));
      grown.set(this.storage);
      this.storage = grown;
    }
    this.storage[this.size++] = position;
  }

  /** Keeps only the positions from index `head` on, in fresh storage (older snapshots keep theirs). */
  dropFront(head: number): void {
    const kept = this.storage.slice(head, Math.max(head + 1024, this.size));
    this.size -= head;
    this.storage = kept;
  }
}
