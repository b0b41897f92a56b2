/**
 * Renders one detail read from QEMU, or says plainly why it is missing.
 *
 * A command this QEMU does not have (or a machine without the device) is normal, so it reads
 * as muted "unavailable", never as an alarm.
 */
import type { ReactNode } from 'react';
import type { DetailField } from '../../../../electron/common/models';
import type { JsonValue } from '../../../../electron/common/json-text';
import { tryParse } from '../../lib/qmp-json';
import { Unavailable } from '../../ui/labelled-values';

/** Props of {@link DetailView}. */
export interface DetailViewProps {
  readonly field: DetailField | undefined;
  /** Why there is no field yet (e.g. "not connected"). */
  readonly missingReason: string;
  /** Turns the parsed value into UI; return null when its shape is not understood. */
  readonly render: (value: JsonValue) => ReactNode | null;
}

/** The detail's UI, or "unavailable (reason)". */
export function DetailView({ field, missingReason, render }: DetailViewProps) {
  if (!field) return <Unavailable reason={missingReason} />;
  if (field.status === 'unavailable') return <Unavailable reason={field.reason} />;
  if (field.status === 'error') return <Unavailable reason={`${field.errorClass}: ${field.desc}`} />;
  const value = tryParse(field.json);
  const shown = value === undefined ? null : render(value);
  return shown ?? <Unavailable reason="QEMU sent a shape this version does not understand" />;
}
