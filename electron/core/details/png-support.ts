/**
 * Whether a QEMU build's `screendump` takes `format: "png"`, read from its QAPI schema.
 *
 * `format` came in QEMU 7.1, and its `png` value exists only in builds with libpng
 * (`'if': 'CONFIG_PNG'`), so the schema is the one reliable answer; asking by trial would send
 * a failing command at every refresh on older builds.
 */

interface SchemaEntry {
  readonly name?: unknown;
  readonly 'meta-type'?: unknown;
  readonly 'arg-type'?: unknown;
  readonly members?: unknown;
  readonly values?: unknown;
}

/** True when the schema (the `query-qmp-schema` list, as JSON text) offers `screendump` `format: "png"`. */
export function screendumpTakesPng(schemaJson: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(schemaJson);
  } catch {
    return false;
  }
  if (!Array.isArray(parsed)) return false;
  const byName = new Map<unknown, SchemaEntry>();
  for (const entry of parsed as SchemaEntry[]) if (entry && typeof entry === 'object') byName.set(entry.name, entry);
  const command = byName.get('screendump');
  if (command?.['meta-type'] !== 'command') return false;
  const args = byName.get(command['arg-type']);
  const format = Array.isArray(args?.members) ? (args.members as Array<{ name?: unknown; type?: unknown }>).find((m) => m?.name === 'format') : undefined;
  const formatType = byName.get(format?.type);
  const values: unknown[] = Array.isArray(formatType?.values)
    ? formatType.values
    : Array.isArray(formatType?.members)
      ? (formatType.members as Array<{ name?: unknown }>).map((m) => m?.name)
      : [];
  return values.includes('png');
}
