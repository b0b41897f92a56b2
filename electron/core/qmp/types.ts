/**
 * Wire-level QMP shapes, as QEMU 7.2 sends them (see test/fixtures/qmp/QMP-NOTES.md).
 *
 * Values are `JsonValue`s from `electron/common/json-text.ts`: plain JSON except that integers
 * beyond 2^53 arrive as `bigint`, so QMP's uint64/int64 fields survive exactly; everything that
 * prints or forwards them must use `stringifyJsonLossless`, never `JSON.stringify`.
 */
import type { JsonObject } from '../../common/json-text';

/** QEMU's event timestamp: host wall clock, Unix epoch. */
export interface QmpTimestamp {
  readonly seconds: number;
  readonly microseconds: number;
}

/** An asynchronous event; `timestamp` is QEMU's own, kept as sent. */
export interface QmpEvent {
  readonly event: string;
  readonly timestamp: QmpTimestamp;
  readonly data?: JsonObject;
}

/** The version block of the greeting. */
export interface QmpVersion {
  readonly qemu: { readonly major: number; readonly minor: number; readonly micro: number };
  readonly package: string;
}

/** The unprompted greeting QEMU sends at connect. */
export interface QmpGreeting {
  readonly version: QmpVersion;
  readonly capabilities: readonly string[];
}

/** Where a QMP monitor listens. */
export type QmpTarget =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };
