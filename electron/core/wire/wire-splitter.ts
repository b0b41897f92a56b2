/**
 * Cuts the bytes QEMU sends into one text per message, exactly as they crossed the socket.
 *
 * The wire log and recordings show each reply and event as its own entry, with QEMU's own
 * spacing and CRLFs, so the cut follows QEMU's two layouts: a compact message is one line
 * (`{…}` CRLF), and a `pretty=on` message spreads over lines whose last one is a lone `}` at
 * the start of its line (inner lines are indented). A raw line feed never occurs inside a JSON
 * string (QEMU escapes it), so only line ends need looking at: the native `indexOf` finds
 * them, and the scan costs little even on a 50 MB reply. A line that cannot start a message
 * (garbage from a peer that is not QEMU) is an entry of its own, and an entry that grows past a
 * bound is cut there, so a peer that never ends a line costs at most the bound. The framer
 * still decides what a message *is*; this only decides where to show the cuts, so it never
 * rejects anything, and the entries joined are always the exact bytes.
 */
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';

const LF = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Largest entry held before it is cut, by default (a QMP reply may be this big; the log bounds it again). */
export const DEFAULT_MAX_ENTRY_BYTES = 64 * 1024 * 1024;

/** Splits incoming chunks into message texts; call `end` when the socket ends to get the rest. */
export class WireSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private held: string[] = [];
  private heldBytes = 0;
  /** The current line: its first byte (-1 before any), last byte that is not CR, length, trailing CRs. */
  private lineFirst = -1;
  private lineLast = -1;
  private lineLength = 0;
  private lineTrailingCr = 0;
  /** The current line began an entry (nothing was held before it). */
  private lineStartsEntry = true;
  /** The decoder holds no bytes of a character cut by the chunk edge (so it may be bypassed). */
  private decoderEmpty = true;

  public constructor(
    private readonly onText: (text: string) => void,
    private readonly maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES,
  ) {}

  /**
   * Feeds one chunk as read from the socket; emits each entry it completes.
   *
   * An ASCII chunk (all of QEMU's output) is turned into text once and cut as text: a native
   * search, a buffer slice and a decode per message cost a 100,000 events/s flood about a
   * microsecond per event.
   */
  public push(chunk: Buffer): void {
    if (this.decoderEmpty && isAscii(chunk)) {
      this.pushAscii(chunk, chunk.toString('latin1'));
      return;
    }
    let start = 0;
    let from = 0;
    for (;;) {
      const lf = chunk.indexOf(LF, from);
      if (lf < 0) break;
      this.addToLine(chunk, from, lf);
      const ends = this.lineEndsEntry();
      this.resetLine(ends);
      if (ends) {
        this.emit(this.decoder.write(chunk.subarray(start, lf + 1)));
        start = lf + 1;
      }
      from = lf + 1;
    }
    this.addToLine(chunk, from, chunk.length);
    if (start < chunk.length) this.hold(this.decoder.write(chunk.subarray(start)), chunk.length - start);
    // A chunk ending in ASCII leaves nothing in the decoder; one ending in a byte >= 0x80 may.
    this.decoderEmpty = chunk.length === 0 || chunk[chunk.length - 1]! < 0x80;
  }

  /** `push` for a chunk that is all ASCII, as `text` (the same characters). */
  private pushAscii(chunk: Buffer, text: string): void {
    let start = 0;
    let from = 0;
    for (;;) {
      const lf = text.indexOf('\n', from);
      if (lf < 0) break;
      this.addToLine(chunk, from, lf);
      const ends = this.lineEndsEntry();
      this.resetLine(ends);
      if (ends) {
        this.emit(text.slice(start, lf + 1));
        start = lf + 1;
      }
      from = lf + 1;
    }
    this.addToLine(chunk, from, chunk.length);
    if (start < chunk.length) this.hold(text.slice(start), chunk.length - start);
  }

  /** The socket ended: whatever is held (a message cut short) becomes the last entry. */
  public end(): void {
    const rest = this.decoder.end();
    if (rest !== '') this.held.push(rest);
    this.flush();
    this.resetLine(true);
  }

  /** Notes the bytes `chunk[from..to)` of the current line (no LF among them). */
  private addToLine(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    if (this.lineFirst < 0) this.lineFirst = chunk[from]!;
    this.lineLength += to - from;
    let last = to - 1;
    while (last >= from && chunk[last] === CR) last--;
    if (last < from) this.lineTrailingCr += to - from;
    else {
      this.lineLast = chunk[last]!;
      this.lineTrailingCr = to - 1 - last;
    }
  }

  /**
   * At a line end: a compact message (`{` … `}`), the lone `}` closing a pretty one, or a line
   * that began an entry without `{` (not a message: shown on its own).
   */
  private lineEndsEntry(): boolean {
    if (this.lineStartsEntry && this.lineFirst !== OPEN_BRACE) return true;
    if (this.lineLast !== CLOSE_BRACE) return false;
    return this.lineFirst === OPEN_BRACE || this.lineLength - this.lineTrailingCr === 1;
  }

  private resetLine(entryEnded: boolean): void {
    this.lineFirst = -1;
    this.lineLast = -1;
    this.lineLength = 0;
    this.lineTrailingCr = 0;
    if (entryEnded) this.lineStartsEntry = true;
    else this.lineStartsEntry = false;
  }

  /** Holds the decoded text of `bytes` bytes that end no entry yet. */
  private hold(text: string, bytes: number): void {
    this.held.push(text);
    this.heldBytes += bytes;
    if (this.heldBytes >= this.maxEntryBytes) {
      this.flush();
      this.lineStartsEntry = false; // the rest of this line continues the cut entry's text
    }
  }

  /** Ends an entry with `text` (joined to what is held). */
  private emit(text: string): void {
    if (this.held.length === 0) {
      if (text !== '') this.onText(text);
      return;
    }
    this.held.push(text);
    this.flush();
  }

  private flush(): void {
    const text = this.held.join('');
    this.held = [];
    this.heldBytes = 0;
    if (text !== '') this.onText(text);
  }
}
