/**
 * HMP command names from the text of HMP's `help` and `help info`, for HMP completion.
 *
 * HMP has no introspection: `help` prints one command per line as `name[|alias] args -- what`
 * with continuation lines indented by tabs, and `help info` does the same for `info`'s
 * subcommands (`info status  -- show the current VM status`).
 */

/** Command names (aliases included) in `help` output, in order, without duplicates. */
export function parseHmpHelp(text: string, prefix = ''): string[] {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || /^\s/.test(line)) continue;
    const words = line.split(/\s+/);
    const first = prefix === '' ? words[0] : words[0] === prefix.trim() ? words[1] : undefined;
    if (first === undefined || first === '--') continue;
    for (const name of first.split('|')) if (/^[A-Za-z0-9_-]+$/.test(name)) names.add(`${prefix}${name}`);
  }
  return [...names];
}
