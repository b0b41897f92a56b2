/**
 * `--event NAME` of `qmp-monitor events`: which events to print.
 *
 * Like `virsh qemu-monitor-event --event`, but repeatable and with `*` standing for any run of
 * characters (`BLOCK_JOB_*`), since a script usually wants one family of events. Matching is
 * case-sensitive, as QMP names are. Nothing else is special, so a name never needs quoting
 * beyond what the shell asks for `*`.
 */
import { MAX_COMMAND_NAME_LENGTH } from '../common/command-limits';

/**
 * An event name or a pattern of one: what a QAPI name may hold (letters, digits, `-`, `_`, the
 * dots of vendor prefixes) plus `*`. Anything else (`?`, `[`, spaces) would silently match
 * nothing, so it is refused instead.
 */
const EVENT_PATTERN = new RegExp(`^[A-Za-z0-9_.*-]{1,${MAX_COMMAND_NAME_LENGTH}}$`);

/** Why `pattern` cannot be an `--event` value, or undefined when it can. */
export function eventPatternProblem(pattern: string): string | undefined {
  if (EVENT_PATTERN.test(pattern)) return undefined;
  if (pattern === '') return 'empty event name';
  if (pattern.length > MAX_COMMAND_NAME_LENGTH) return `event name too long (${pattern.length} characters; at most ${MAX_COMMAND_NAME_LENGTH})`;
  return `'${pattern}' is not an event name or pattern (letters, digits, '-', '_', '.' and '*' for any run of characters)`;
}

/**
 * A test of event names against `patterns` (any one may match); no patterns match every event.
 */
export function eventMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => true;
  return (name) => patterns.some((pattern) => globMatches(pattern, name));
}

/**
 * True when `name` matches `pattern`, `*` standing for any run of characters (none included).
 *
 * The classic backtrack-to-the-last-star walk rather than a regular expression: it takes at most
 * pattern × name steps, where `.*a.*a.*` regexes can take far longer on a long name a peer sends.
 */
export function globMatches(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === name[n]) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
