/**
 * What kind of thing each QMP event is about, the word and colour for that kind, and a one-line
 * summary of an event's data.
 *
 * The timeline colours rows by kind and the rate strip stacks by kind, so both read the kind
 * from here: one table, one place to add an event name. Names are QEMU 7.2's (qapi/*.json);
 * an unknown name is `other`, never an error, because newer QEMUs add events. Colour is always
 * paired with the kind's word, so nothing depends on seeing colour.
 */
import type { TimelineEvent } from '../../../../electron/common/models';
import type { JsonObject, JsonValue } from '../../../../electron/common/json-text';
import { formatBytes } from '../../lib/format';
import { asObject, integer, text, tryParse } from '../../lib/qmp-json';
import { shareClientLabel } from '../../lib/share-client';

/** The kinds, in the order the rate strip stacks them (bottom first) and filters list them. */
export const EVENT_KINDS = ['run-state', 'block', 'job', 'device', 'migration', 'guest', 'other', 'marker'] as const;

/** One kind of event; `marker` is the app's own note (connected, command sent, …). */
export type EventKind = (typeof EVENT_KINDS)[number];

/** The word shown next to the colour, so the kind never rests on colour alone. */
export const KIND_WORDS: Readonly<Record<EventKind, string>> = {
  'run-state': 'run state',
  block: 'block',
  job: 'job',
  device: 'device',
  migration: 'migration',
  guest: 'guest',
  other: 'other',
  marker: 'app',
};

/** Position of each kind in {@link EVENT_KINDS}, for per-kind count arrays. */
export const KIND_INDEX: Readonly<Record<EventKind, number>> = Object.fromEntries(
  EVENT_KINDS.map((kind, index) => [kind, index]),
) as Record<EventKind, number>;

/**
 * The CSS variable holding the kind's colour (`--kind-run-state`), defined for light and dark
 * themes in kind-colors.css. Markup can also set `data-kind="…"` on an element and use
 * `var(--kind-color)` inside it (kind-colors.css maps one to the other).
 */
export function kindColorVariable(kind: EventKind): string {
  return `--kind-${kind}`;
}

/** Run-state names: the VM started, stopped, reset, slept or shut down. */
const RUN_STATE = new Set(['STOP', 'RESUME', 'RESET', 'SHUTDOWN', 'POWERDOWN', 'SUSPEND', 'SUSPEND_DISK', 'WAKEUP']);

/** Device names: hot-unplug, trays, NICs, serial ports, ACPI device status. */
const DEVICE = new Set([
  'DEVICE_DELETED',
  'DEVICE_TRAY_MOVED',
  'DEVICE_UNPLUG_GUEST_ERROR',
  'NIC_RX_FILTER_CHANGED',
  'ACPI_DEVICE_OST',
  'MEM_UNPLUG_ERROR',
  'VSERPORT_CHANGE',
  'FAILOVER_NEGOTIATED',
  'RDMA_GID_STATUS_CHANGED',
  'CPU_POLARIZATION_CHANGE',
]);

/** Block-layer names that do not start with BLOCK_. */
const BLOCK = new Set(['QUORUM_FAILURE', 'QUORUM_REPORT_BAD', 'PR_MANAGER_STATUS_CHANGED']);

/** Migration names that do not start with MIGRATION. */
const MIGRATION = new Set(['COLO_EXIT', 'UNPLUG_PRIMARY']);

/** What the guest itself did or reported. */
const GUEST = new Set(['WATCHDOG', 'BALLOON_CHANGE', 'RTC_CHANGE', 'MEMORY_FAILURE', 'MEMORY_DEVICE_SIZE_CHANGE', 'HV_BALLOON_STATUS_REPORT']);

/**
 * The kind of an event by its name; an app marker is always `marker`.
 *
 * Order matters: BLOCK_JOB_* are jobs though they start with BLOCK_.
 */
export function eventKind(name: string, marker?: TimelineEvent['marker']): EventKind {
  if (marker !== undefined) return 'marker';
  if (RUN_STATE.has(name)) return 'run-state';
  if (name.startsWith('BLOCK_JOB_') || name === 'JOB_STATUS_CHANGE') return 'job';
  if (name.startsWith('BLOCK_') || BLOCK.has(name)) return 'block';
  if (DEVICE.has(name)) return 'device';
  if (name.startsWith('MIGRATION') || MIGRATION.has(name)) return 'migration';
  if (name.startsWith('GUEST_') || GUEST.has(name)) return 'guest';
  return 'other';
}

/** The fields of an event that {@link eventSummary} reads. */
export type SummarisedEvent = Pick<TimelineEvent, 'event' | 'dataJson' | 'marker'>;

/** Longest summary; the expanded row shows the whole event. */
const SUMMARY_LIMIT = 160;

/**
 * One line for a timeline row: the event name and the few data members a person looks for
 * (`BLOCK_JOB_COMPLETED drive0 1.2 GiB`, `SHUTDOWN guest-shutdown`); for markers, what the app
 * did (`connected QEMU 7.2.0`, `stop → ok`, `device_del → GenericError`).
 *
 * Never throws: data that is missing, not JSON or oddly shaped gives a shorter line.
 */
export function eventSummary(event: SummarisedEvent): string {
  const data = asObject(tryParse(event.dataJson));
  const line = event.marker !== undefined ? markerSummary(event.marker, event.event, data) : qemuSummary(event.event, data);
  return line.length > SUMMARY_LIMIT ? `${line.slice(0, SUMMARY_LIMIT - 1)}…` : line;
}

/** Joins the defined parts with spaces. */
function words(...parts: ReadonlyArray<string | undefined>): string {
  return parts.filter((part): part is string => part !== undefined && part !== '').join(' ');
}

/** A size member as `1.2 GiB`, if it is an integer. */
function bytes(data: JsonObject | undefined, key: string): string | undefined {
  const value = integer(data, key);
  return value === undefined || value < 0n ? undefined : formatBytes(value);
}

/** How a few events name what they are about: the first member present wins. */
function subject(data: JsonObject | undefined, ...keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = text(data, key);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** Summary of an event QEMU sent, by name; unknown names list their first scalar members. */
function qemuSummary(name: string, data: JsonObject | undefined): string {
  switch (name) {
    case 'SHUTDOWN':
    case 'RESET':
      return words(name, text(data, 'reason'));
    case 'BLOCK_JOB_COMPLETED':
      return words(name, subject(data, 'device', 'id'), bytes(data, 'len'), prefixed('error:', text(data, 'error')));
    case 'BLOCK_JOB_CANCELLED':
      return words(name, subject(data, 'device', 'id'), progress(data));
    case 'BLOCK_JOB_READY':
      return words(name, subject(data, 'device', 'id'), text(data, 'type'));
    case 'BLOCK_JOB_PENDING':
      return words(name, subject(data, 'id', 'device'), text(data, 'type'));
    case 'BLOCK_JOB_ERROR':
      return words(name, subject(data, 'device', 'id'), text(data, 'operation'), arrow(text(data, 'action')));
    case 'JOB_STATUS_CHANGE':
      return words(name, text(data, 'id'), text(data, 'status'));
    case 'BLOCK_IO_ERROR':
      return words(name, subject(data, 'device', 'node-name'), text(data, 'operation'), arrow(text(data, 'action')), text(data, 'reason'));
    case 'BLOCK_IMAGE_CORRUPTED':
      return words(name, subject(data, 'device', 'node-name'), data?.['fatal'] === true ? 'fatal' : undefined, text(data, 'msg'));
    case 'BLOCK_WRITE_THRESHOLD':
      return words(name, text(data, 'node-name'), prefixed('over by', bytes(data, 'amount-exceeded')));
    case 'DEVICE_TRAY_MOVED':
      return words(name, subject(data, 'id', 'device'), trayState(data));
    case 'DEVICE_DELETED':
    case 'DEVICE_UNPLUG_GUEST_ERROR':
      return words(name, subject(data, 'device', 'path'));
    case 'NIC_RX_FILTER_CHANGED':
      return words(name, subject(data, 'name', 'path'));
    case 'MIGRATION':
      return words(name, text(data, 'status'));
    case 'MIGRATION_PASS':
      return words(name, prefixed('pass', text(data, 'pass')));
    case 'BALLOON_CHANGE':
      return words(name, bytes(data, 'actual'));
    case 'WATCHDOG':
    case 'GUEST_PANICKED':
    case 'GUEST_CRASHLOADED':
      return words(name, text(data, 'action'));
    case 'RTC_CHANGE':
      return words(name, signedSeconds(integer(data, 'offset')));
    case 'VNC_CONNECTED':
    case 'VNC_INITIALIZED':
    case 'VNC_DISCONNECTED':
    case 'SPICE_CONNECTED':
    case 'SPICE_INITIALIZED':
    case 'SPICE_DISCONNECTED':
      return words(name, endpoint(asObject(data?.['client'])));
    default:
      return words(name, firstScalars(data, 3));
  }
}

/** `offset of len` for a job that stopped part way. */
function progress(data: JsonObject | undefined): string | undefined {
  const offset = bytes(data, 'offset');
  const length = bytes(data, 'len');
  return offset !== undefined && length !== undefined ? `at ${offset} of ${length}` : length;
}

/** `open` / `closed` from DEVICE_TRAY_MOVED's `tray-open`. */
function trayState(data: JsonObject | undefined): string | undefined {
  const open = data?.['tray-open'];
  return typeof open === 'boolean' ? (open ? 'open' : 'closed') : undefined;
}

/** `+3600 s` / `-60 s`. */
function signedSeconds(value: bigint | undefined): string | undefined {
  if (value === undefined) return undefined;
  return `${value > 0n ? '+' : ''}${value} s`;
}

/** `host:service` of a VNC/SPICE client. */
function endpoint(client: JsonObject | undefined): string | undefined {
  const host = text(client, 'host');
  const service = text(client, 'service');
  return host === undefined ? undefined : service === undefined ? host : `${host}:${service}`;
}

function prefixed(prefix: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : `${prefix} ${value}`;
}

function arrow(value: string | undefined): string | undefined {
  return value === undefined ? undefined : `→ ${value}`;
}

/** Up to `count` scalar members as `key=value`, for events this file does not know. */
function firstScalars(data: JsonObject | undefined, count: number): string | undefined {
  if (!data) return undefined;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    const shown = scalarText(value);
    if (shown === undefined) continue;
    parts.push(`${key}=${shown}`);
    if (parts.length === count) break;
  }
  return parts.join(' ');
}

function scalarText(value: JsonValue): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Summary of an app marker. The data members read (all optional, several spellings accepted
 * so the core can evolve): connected `{version}` as text or QMP's greeting `{qemu: {major,
 * minor, micro}}` (also under `QMP.version` / `version.qemu`); disconnected `{reason}`;
 * reconnect `{attempt, delayMs}`; command `{command, ok | outcome, errorClass | class}`.
 */
function markerSummary(marker: NonNullable<TimelineEvent['marker']>, name: string, data: JsonObject | undefined): string {
  switch (marker) {
    case 'connected':
      return words('connected', prefixed('QEMU', qemuVersion(data)));
    case 'disconnected':
      return words('disconnected', subject(data, 'reason', 'desc', 'message'));
    case 'reconnect':
      return words('reconnect', prefixed('attempt', text(data, 'attempt')), prefixed('in', delay(data)));
    case 'command': {
      const command = subject(data, 'command', 'execute') ?? name;
      return `${sharedClient(data)}${command} → ${commandOutcome(data)}`;
    }
    case 'share':
      return shareChange(data);
  }
}

/** `qmp-shell (pid 4242) disconnected: too slow: …` for a client of the shared endpoint. */
function shareChange(data: JsonObject | undefined): string {
  const client = asObject(data?.['client']);
  const who = shareClientLabel({ peer: text(client, 'peer'), pid: integer(client, 'pid'), processName: text(client, 'processName') });
  if (text(data, 'change') !== 'disconnected') return `${who} connected through the shared endpoint`;
  const reason = text(data, 'reason');
  return reason === undefined ? `${who} disconnected` : `${who} disconnected: ${reason}`;
}

/** `qmp-shell (pid 4242): ` for a command another client sent through the shared endpoint. */
function sharedClient(data: JsonObject | undefined): string {
  const client = asObject(data?.['client']);
  if (!client) return '';
  return `${shareClientLabel({ peer: text(client, 'peer'), pid: integer(client, 'pid'), processName: text(client, 'processName') })}: `;
}

/** `7.2.0` from the shapes the connected marker may carry. */
function qemuVersion(data: JsonObject | undefined): string | undefined {
  const direct = text(data, 'version') ?? text(data, 'qemuVersion');
  if (direct !== undefined) return direct;
  const version = asObject(data?.['version']) ?? asObject(asObject(data?.['QMP'])?.['version']) ?? data;
  const qemu = asObject(version?.['qemu']);
  const major = text(qemu, 'major');
  if (major === undefined) return undefined;
  return `${major}.${text(qemu, 'minor') ?? '0'}.${text(qemu, 'micro') ?? '0'}`;
}

/** `2 s` / `500 ms` from `delayMs` (or `delay`, taken as ms). */
function delay(data: JsonObject | undefined): string | undefined {
  const ms = integer(data, 'delayMs') ?? integer(data, 'delay');
  if (ms === undefined) return undefined;
  return ms >= 1000n && ms % 100n === 0n ? `${Number(ms) / 1000} s` : `${ms} ms`;
}

/** `ok`, or the QMP error class (or core kind such as `timeout`), or `error`. */
function commandOutcome(data: JsonObject | undefined): string {
  const ok = data?.['ok'];
  const outcome = text(data, 'outcome');
  if (ok === true || outcome === 'ok') return 'ok';
  const errorClass = subject(data, 'errorClass', 'class') ?? text(asObject(data?.['error']), 'class');
  if (errorClass !== undefined) return errorClass;
  return outcome ?? (ok === false ? 'error' : 'sent');
}
