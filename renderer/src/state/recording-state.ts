/**
 * A recording opened in the page: a read-only entry browsable with the live views' own shapes.
 *
 * The file is read in the page (nothing reaches the core, so nothing is journaled) and turned
 * once into what the console (paired commands), the timeline (events with QEMU's timestamps)
 * and the wire inspector (the raw messages) already show, so the same components render it.
 * Closing it drops this value, and with it everything read from the file.
 */
import type { TimelineEvent } from '../../../electron/common/models';
import { readExchange } from '../../../electron/common/recording-exchange';
import type { WireEntry } from '../../../electron/common/wire-entry';
import { parseRecording } from '../../../electron/common/wire-recording';
import type { ConsoleEntry } from './console-state';

/** One opened recording. */
export interface OpenRecording {
  /** Unique in the page; also the `vmId` of its entries and events. */
  readonly id: string;
  readonly fileName: string;
  /** From the recording's greeting; undefined when it has none. */
  readonly qemuVersion: string | undefined;
  readonly consoleEntries: readonly ConsoleEntry[];
  readonly events: readonly TimelineEvent[];
  readonly wire: readonly WireEntry[];
  /** Lines refused (1-based, with the reason); the rest was kept. */
  readonly badLines: readonly { readonly line: number; readonly reason: string }[];
}

const encoder = new TextEncoder();

/** Reads a recording file's text as an {@link OpenRecording}; never throws. */
export function openRecordingText(id: string, fileName: string, text: string): OpenRecording {
  const { entries, badLines } = parseRecording(text);
  const exchange = readExchange(entries);
  const consoleEntries = exchange.commands.map((command, index): ConsoleEntry => {
    const { reply } = command;
    const durationMs = reply ? Math.max(0, reply.receivedAt - command.sentAt) : 0;
    return {
      id: index + 1,
      vmId: id,
      text: command.text.trim(),
      command: command.execute,
      ...(command.argumentsJson !== undefined ? { argumentsJson: command.argumentsJson } : {}),
      mode: 'qmp',
      oob: command.oob,
      sentAt: command.sentAt,
      result: reply
        ? reply.ok
          ? { ok: true, returnJson: reply.returnJson, durationMs, receivedAt: reply.receivedAt }
          : { ok: false, errorClass: reply.errorClass, desc: reply.desc, durationMs, receivedAt: reply.receivedAt }
        : { ok: false, errorClass: 'no reply', desc: 'The recording holds no reply to this command.', durationMs, receivedAt: command.sentAt },
    };
  });
  const events = exchange.events.map(
    (event, index): TimelineEvent => ({
      seq: index + 1,
      vmId: id,
      event: event.event,
      timestamp: event.timestamp,
      receivedAt: event.receivedAt,
      ...(event.dataJson !== undefined ? { dataJson: event.dataJson } : {}),
    }),
  );
  const wire = entries.map(
    (entry, index): WireEntry => ({
      seq: index + 1,
      dir: entry.dir,
      at: entry.t,
      bytes: encoder.encode(entry.text).length,
      text: entry.text,
      textLength: entry.text.length,
      truncated: false,
    }),
  );
  return { id, fileName, qemuVersion: exchange.qemuVersion, consoleEntries, events, wire, badLines };
}
