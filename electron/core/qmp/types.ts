/**
 * Wire-level QMP shapes, as QEMU 7.2 sends them (see ../shared/qmp/README.md).
 *
 * Values are plain JSON except that integers beyond 2^53 arrive as `bigint` so that QMP's
 * uint64/int64 fields survive exactly; everything that prints or forwards them must use
 * `stringifyQmp` from `lossless-json.ts`, never `JSON.stringify`.
 */

/** Any JSON value as the core decodes it: large integers become `bigint`. */
export type QmpValue = null | boolean | number | bigint | string | QmpValue[] | QmpObject;

/** A decoded JSON object. */
export interface QmpObject {
  [key: string]: QmpValue;
}

/** QEMU's event timestamp: host wall clock, Unix epoch. */
export interface QmpTimestamp {
  readonly seconds: number;
  readonly microseconds: number;
}

/** An asynchronous event; `timestamp` is QEMU's own, kept as sent. */
export interface QmpEvent {
  readonly event: string;
  readonly timestamp: QmpTimestamp;
  readonly data?: QmpObject;
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
