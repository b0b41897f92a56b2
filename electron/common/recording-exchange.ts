/**
 * A recording's messages read back as QMP: the greeting, each command paired with its reply,
 * and the events, so a recording can be browsed offline like a live VM.
 *
 * Pairing follows QMP's own rule: a reply carries the command's `id` when the command had one
 * (OOB replies may overtake in-band ones, so only the id is trusted then); a command without
 * an id is answered in order, so its reply is the first id-less one after it. Values are read
 * and printed through json-text.ts, so 64-bit integers stay exact. Pure (no Node or DOM API):
 * the renderer opens recordings with it and the CLI could too.
 */
import { isJsonObject, parseJsonLossless, stringifyJsonLossless, type JsonObject, type JsonValue } from './json-text';
import type { RecordingEntry } from './wire-recording';

/** QEMU's answer to a recorded command. */
export type RecordedReply =
  | { readonly ok: true; readonly returnJson: string; readonly receivedAt: number }
  | { readonly ok: false; readonly errorClass: string; readonly desc: string; readonly receivedAt: number };

/** One command as it was sent, with its reply when the recording holds one. */
export interface RecordedCommand {
  /** The command's text exactly as sent (line end included). */
  readonly text: string;
  readonly execute: string;
  /** `arguments` as lossless JSON text, when present. */
  readonly argumentsJson?: string;
  /** Sent with `exec-oob`. */
  readonly oob: boolean;
  /** Epoch ms it was sent. */
  readonly sentAt: number;
  readonly reply?: RecordedReply;
}

/** One QMP event from the recording. */
export interface RecordedEvent {
  readonly event: string;
  /** QEMU's timestamp, as sent. */
  readonly timestamp: { readonly seconds: number; readonly microseconds: number };
  /** `data` as lossless JSON text, when present. */
  readonly dataJson?: string;
  /** Epoch ms it was recorded. */
  readonly receivedAt: number;
}

/** What a recording says about the QMP conversation it holds. */
export interface RecordedExchange {
  /** `7.2.0` (and the package, when QEMU sent one), from the greeting; undefined without one. */
  readonly qemuVersion: string | undefined;
  /** The capabilities QEMU offered in its greeting. */
  readonly capabilities: readonly string[];
  readonly commands: readonly RecordedCommand[];
  readonly events: readonly RecordedEvent[];
  /** Messages that are not a QMP object (not JSON, or a reply matching no command). */
  readonly unmatched: number;
}

/** Reads `entries` (in recording order) as a QMP conversation; never throws. */
export function readExchange(entries: readonly RecordingEntry[]): RecordedExchange {
  const commands: Array<{ -readonly [K in keyof RecordedCommand]: RecordedCommand[K] }> = [];
  const events: RecordedEvent[] = [];
  /** Commands waiting for a reply: by id text, and the id-less ones in order. */
  const byId = new Map<string, number[]>();
  const inOrder: number[] = [];
  let qemuVersion: string | undefined;
  let capabilities: readonly string[] = [];
  let unmatched = 0;
  for (const entry of entries) {
    const message = parseObject(entry.text);
    if (message === undefined) {
      unmatched++;
      continue;
    }
    if (entry.dir === 'out') {
      const execute = message['execute'] ?? message['exec-oob'];
      if (typeof execute !== 'string') {
        unmatched++;
        continue;
      }
      const args = message['arguments'];
      commands.push({
        text: entry.text,
        execute,
        ...(args !== undefined ? { argumentsJson: stringifyJsonLossless(args) } : {}),
        oob: message['exec-oob'] !== undefined,
        sentAt: entry.t,
      });
      const id = message['id'];
      if (id === undefined) inOrder.push(commands.length - 1);
      else pushTo(byId, stringifyJsonLossless(id), commands.length - 1);
      continue;
    }
    const greeting = message['QMP'];
    if (isJsonObject(greeting)) {
      qemuVersion = versionOf(greeting['version']);
      const offered = greeting['capabilities'];
      capabilities = Array.isArray(offered) ? offered.filter((c): c is string => typeof c === 'string') : [];
      continue;
    }
    if (typeof message['event'] === 'string') {
      events.push(eventOf(message['event'], message, entry.t));
      continue;
    }
    const reply = replyOf(message, entry.t);
    const id = message['id'];
    const waiting = id === undefined ? inOrder : byId.get(stringifyJsonLossless(id));
    const index = waiting?.shift();
    const command = index === undefined ? undefined : commands[index];
    if (reply === undefined || command === undefined) unmatched++;
    else command.reply = reply;
  }
  return { qemuVersion, capabilities, commands, events, unmatched };
}

function parseObject(text: string): JsonObject | undefined {
  try {
    const value = parseJsonLossless(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function pushTo(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key);
  if (list) list.push(index);
  else map.set(key, [index]);
}

function versionOf(version: JsonValue | undefined): string | undefined {
  if (!isJsonObject(version) || !isJsonObject(version['qemu'])) return undefined;
  const { major, minor, micro } = version['qemu'];
  if (typeof major !== 'number' || typeof minor !== 'number' || typeof micro !== 'number') return undefined;
  const pkg = typeof version['package'] === 'string' && version['package'].trim() !== '' ? ` ${version['package'].trim()}` : '';
  return `${major}.${minor}.${micro}${pkg}`;
}

function eventOf(event: string, message: JsonObject, receivedAt: number): RecordedEvent {
  const stamp = message['timestamp'];
  const seconds = isJsonObject(stamp) && typeof stamp['seconds'] === 'number' ? stamp['seconds'] : 0;
  const microseconds = isJsonObject(stamp) && typeof stamp['microseconds'] === 'number' ? stamp['microseconds'] : 0;
  const data = message['data'];
  return { event, timestamp: { seconds, microseconds }, ...(data !== undefined ? { dataJson: stringifyJsonLossless(data) } : {}), receivedAt };
}

function replyOf(message: JsonObject, receivedAt: number): RecordedReply | undefined {
  if ('return' in message) return { ok: true, returnJson: stringifyJsonLossless(message['return']), receivedAt };
  const error = message['error'];
  if (!isJsonObject(error)) return undefined;
  const errorClass = typeof error['class'] === 'string' ? error['class'] : 'GenericError';
  const desc = typeof error['desc'] === 'string' ? error['desc'] : '';
  return { ok: false, errorClass, desc, receivedAt };
}
