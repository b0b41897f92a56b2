/**
 * Capped exponential backoff with jitter for reconnect attempts.
 *
 * Kept separate from the supervisor so the delay sequence can be tested without sockets or timers.
 */

/** Backoff shape; the supervisor passes its options straight through. */
export interface BackoffOptions {
  /** First delay in ms (default 250). */
  readonly initialDelayMs?: number;
  /** Upper bound of any delay in ms (default 30000). */
  readonly maxDelayMs?: number;
  /** Growth per failed attempt (default 2). */
  readonly factor?: number;
  /** Random spread as a fraction of the delay, 0..1 (default 0.2). */
  readonly jitter?: number;
}

/**
 * Computes the delay before reconnect attempt `attempt` (1-based).
 *
 * Jitter spreads many monitors that lost QEMU at the same moment (host reboot) so they do not
 * hammer it in lockstep; the cap still holds after jitter. `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = Math.max(0, options.initialDelayMs ?? 250);
  const max = Math.max(initial, options.maxDelayMs ?? 30_000);
  const factor = Math.max(1, options.factor ?? 2);
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.2));
  const exponent = Math.max(0, attempt - 1);
  // Exponentiation overflows to Infinity for long outages; min() keeps it finite.
  const base = Math.min(max, initial * factor ** exponent);
  const spread = base * jitter * (random() * 2 - 1);
  return Math.round(Math.min(max, Math.max(0, base + spread)));
}
