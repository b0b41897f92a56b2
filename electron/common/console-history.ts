/**
 * The console's command history: one rule for what is kept, shared by the core (which
 * persists it) and the renderer (which shows it at once, before the core answers).
 *
 * Bounded ({@link HISTORY_LIMIT}, oldest dropped) and without duplicates: sending a command
 * again moves it to the newest place instead of adding a copy, as a shell's `ignoredups` plus
 * `erasedups` would, so Up walks distinct commands.
 */
import { z } from 'zod';

/** Most entries kept, across every VM. */
export const HISTORY_LIMIT = 1000;

/** One command as the user sent it from the console. */
export const HistoryEntrySchema = z.object({
  /** The VM it was sent to (history is searched per VM and across VMs). */
  vmId: z.string().min(1).max(64),
  /** QMP (JSON or shorthand) or an HMP line. */
  mode: z.enum(['qmp', 'hmp']),
  /** The text as typed. */
  text: z.string().min(1).max(64 * 1024),
  /** Epoch ms of the last time it was sent. */
  at: z.number(),
});
/** @see HistoryEntrySchema */
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** True when two entries are the same command for the same VM (so they collapse into one). */
function sameCommand(a: HistoryEntry, b: HistoryEntry): boolean {
  return a.vmId === b.vmId && a.mode === b.mode && a.text === b.text;
}

/** The history (oldest first) with `entry` as the newest, its older copy removed, bounded. */
export function withHistoryEntry(entries: readonly HistoryEntry[], entry: HistoryEntry, limit = HISTORY_LIMIT): HistoryEntry[] {
  const kept = entries.filter((existing) => !sameCommand(existing, entry));
  kept.push(entry);
  return kept.length > limit ? kept.slice(kept.length - limit) : kept;
}
