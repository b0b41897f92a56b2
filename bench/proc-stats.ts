/**
 * CPU time and memory of another process, read from Linux's /proc.
 *
 * The bench measures the web server as a separate process so that its own work (the fake
 * peers, driving Chromium) never counts as the app's. /proc is what `top` and `ps` read.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat's times (USER_HZ, 100 on every Linux we run). */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds `pid` has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state; utime, stime are 14, 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** `VmRSS` (resident now) and `VmHWM` (peak resident) of `pid`, MB. */
export function residentMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Starts measuring the share of one core `pid` uses; `stop()` returns it in percent (100 = one core). */
export function cpuMeter(pid: number): { stop(): number } {
  const cpuAtStart = cpuSeconds(pid);
  const began = performance.now();
  return {
    stop: () => ((cpuSeconds(pid) - cpuAtStart) / ((performance.now() - began) / 1000)) * 100,
  };
}
