/**
 * Appends timeline events to the journal on disk, in batches, off the event path.
 *
 * Events arrive at up to 100,000 a second; one write per event would cost a syscall each and
 * could stall the core on a slow disk. So `add` only queues a line, and one write per window
 * carries everything queued. The journal is bounded on disk: files roll over at a fixed size
 * and the oldest are removed once the total passes the bound. A disk that fails a write turns
 * the journal off with a notice; the app goes on with the timeline in memory. Each line is
 * written from the entry's parts (line-text.ts) straight into a buffer (pending-lines.ts).
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { TimelineEvent } from '../../common/models';
import { fsErrorReason } from '../vm/fs-error-text';
import { JOURNAL_FILE_BYTES, journalFileName, type JournalFile } from './journal-files';
import { journalLine } from './line-text';
import { PendingLines, type LineBatch } from './pending-lines';

/** Default of {@link EventJournalOptions.maxPendingBytes}. */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

/** Options of {@link EventJournal}. */
export interface EventJournalOptions {
  readonly dir: string;
  /** The bound of all files together. */
  readonly maxBytes: number;
  /** Size at which a new file begins (default 16 MB, at most an eighth of `maxBytes`). */
  readonly fileBytes?: number;
  /** How long lines gather before one write (default 50 ms, the push window). */
  readonly windowMs?: number;
  /** Most bytes waiting for the disk before new lines are dropped (default 64 MB). */
  readonly maxPendingBytes?: number;
  /** Files already there, oldest first, and whether the newest ends with a whole line. */
  readonly files: readonly JournalFile[];
  readonly endsClean: boolean;
  /** One sentence for people when the journal stops or falls behind. */
  readonly onNotice: (text: string) => void;
}

/** The journal writer of one running app. */
export class EventJournal {
  private readonly files: JournalFile[];
  private readonly fileBytes: number;
  private readonly pending = new PendingLines();
  private handle: FileHandle | undefined;
  private nextIndex: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | undefined;
  private off = false;
  private behind = false;
  private lostCount = 0;
  private writtenCount = 0;

  public constructor(private readonly options: EventJournalOptions) {
    this.files = [...options.files];
    this.fileBytes = Math.max(1, Math.min(options.fileBytes ?? JOURNAL_FILE_BYTES, Math.floor(options.maxBytes / 8)));
    const last = this.files.at(-1);
    // A torn or full last file is left as it is; writing goes on in a fresh one.
    this.nextIndex = last && options.endsClean && last.size < this.fileBytes ? last.index : (last?.index ?? 0) + 1;
  }

  /** True once a write failed (or the journal was closed): nothing more is written. */
  public get stopped(): boolean {
    return this.off;
  }

  /** Events handed to the disk so far, and events dropped because the disk fell behind. */
  public get counts(): { readonly written: number; readonly lost: number } {
    return { written: this.writtenCount, lost: this.lostCount };
  }

  /** Queues one event for the next write; never blocks and never throws. */
  public add(event: TimelineEvent): void {
    if (this.off) return;
    if (!this.pending.push(journalLine(event), this.options.maxPendingBytes ?? MAX_PENDING_BYTES)) {
      this.lostCount += 1;
      if (!this.behind) {
        this.behind = true;
        this.options.onNotice('The event journal fell behind the event rate (the disk is too slow); some events were kept in memory only.');
      }
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.windowMs ?? 50);
  }

  /** Writes everything queued now and resolves once it is on its way to the disk. */
  public async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    if (this.pending.count === 0 || this.off) return;
    const batch = this.pending.take();
    this.writing = this.write(batch).finally(() => (this.writing = undefined));
    await this.writing;
    batch.text.release();
    // Lines queued while that write ran go out in the next one.
    if (this.pending.count > 0) await this.flush();
  }

  /** Flushes and closes the file; later events are not written. */
  public async close(): Promise<void> {
    await this.flush();
    this.off = true;
    await this.closeFile();
  }

  /** One write per file the batch touches: a batch is split only where a file fills up. */
  private async write({ text, ends }: LineBatch): Promise<void> {
    try {
      let start = 0;
      let startByte = 0;
      while (start < ends.length) {
        const file = await this.currentFile();
        // At least one line per file, however long, so a huge event cannot stall the journal.
        let end = start + 1;
        while (end < ends.length && file.size + ends[end]! - startByte <= this.fileBytes) end += 1;
        const endByte = ends[end - 1]!;
        await writeAll(this.handle!, text.slices(startByte, endByte));
        file.size += endByte - startByte;
        this.writtenCount += end - start;
        start = end;
        startByte = endByte;
        if (file.size >= this.fileBytes || start < ends.length) {
          await this.closeFile();
          this.nextIndex += 1;
        }
      }
      this.behind = false;
      await this.enforceBound();
    } catch (error) {
      await this.stop(error);
    }
  }

  private async currentFile(): Promise<JournalFile> {
    const last = this.files.at(-1);
    if (this.handle && last) return last;
    await fs.mkdir(this.options.dir, { recursive: true });
    const path = join(this.options.dir, journalFileName(this.nextIndex));
    this.handle = await fs.open(path, 'a');
    if (last?.index === this.nextIndex) return last;
    const file: JournalFile = { index: this.nextIndex, path, size: 0 };
    this.files.push(file);
    return file;
  }

  /** Applies the bound to what is already on disk (it may have been lowered since the last run). */
  public async trimToBound(): Promise<void> {
    try {
      await this.enforceBound();
    } catch (error) {
      await this.stop(error);
    }
  }

  /** Removes the oldest files (never the one being written) until the total fits the bound. */
  private async enforceBound(): Promise<void> {
    let total = this.files.reduce((sum, f) => sum + f.size, 0);
    while (total > this.options.maxBytes && this.files[0] && this.files[0].index < this.nextIndex) {
      const oldest = this.files.shift()!;
      await fs.rm(oldest.path, { force: true });
      total -= oldest.size;
    }
  }

  private async stop(error: unknown): Promise<void> {
    this.off = true;
    this.pending.clear();
    await this.closeFile();
    this.options.onNotice(
      `The event journal is off: writing to ${this.options.dir} failed (${fsErrorReason(error)}); new events are kept in memory until you quit.`,
    );
  }

  private async closeFile(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}

/** Writes all of `views`, in one call while they take it (a write may take only part). */
async function writeAll(handle: FileHandle, views: Buffer[]): Promise<void> {
  let rest = views;
  while (rest.length > 0) {
    const { bytesWritten } = rest.length === 1 ? await handle.write(rest[0]!) : await handle.writev(rest);
    if (bytesWritten <= 0) throw new Error('the disk took none of a write');
    rest = after(rest, bytesWritten);
  }
}

/** What of `views` is left once their first `bytes` are written. */
function after(views: Buffer[], bytes: number): Buffer[] {
  let skip = bytes;
  const left: Buffer[] = [];
  for (const view of views) {
    if (skip >= view.length) skip -= view.length;
    else {
      left.push(skip > 0 ? view.subarray(skip) : view);
      skip = 0;
    }
  }
  return left;
}
