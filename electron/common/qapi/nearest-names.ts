/**
 * "Did you mean…" for a mistyped command or argument name.
 *
 * Edit distance with QAPI's separators ignored (`query_status` and `querystatus` both find
 * `query-status`), so the suggestion catches the usual `-`/`_` confusion of QMP names.
 */

/** Most suggestions offered. */
const MAX_SUGGESTIONS = 3;

/** The closest few of `names` to `typed` (distance ≤ a third of its length, at most 3). */
export function nearestNames(typed: string, names: readonly string[]): string[] {
  const plain = normalise(typed);
  const limit = Math.min(3, Math.max(1, Math.floor(plain.length / 3)));
  return names
    .map((name) => ({ name, distance: distance(plain, normalise(name), limit) }))
    .filter((entry) => entry.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, MAX_SUGGESTIONS)
    .map((entry) => entry.name);
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/** Levenshtein distance, giving up (limit + 1) once every path exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}
