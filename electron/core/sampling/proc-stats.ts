/**
 * Reads a local process's CPU time and resident memory from /proc, the figures `top` shows.
 *
 * Linux counts CPU time in clock ticks (`utime` + `stime`, fields 14 and 15 of
 * /proc/<pid>/stat); the tick rate is `getconf CLK_TCK`, 100 on every Linux we know, read once.
 * The comm field may hold spaces and parentheses, so fields are counted after the last ')'.
 *
 * The reads are synchronous on purpose: a /proc file is made by the kernel on read, in a few
 * microseconds, and never blocks on a disk; the asynchronous path costs four thread-pool round
 * trips per file, which for 20 VMs each second was a measurable part of the sampling budget.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc's CPU times. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 2000 }).trim());
      ticksPerSecond = Number.isFinite(value) && value > 0 ? value : 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of a /proc stat file's text, in ticks; undefined when it cannot be read. */
export function cpuTicksOf(statText: string): number | undefined {
  const close = statText.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ")": state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
  const fields = statText.slice(close + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : undefined;
}

/** VmRSS of a /proc status file's text, in bytes; undefined when absent (a zombie). */
export function rssBytesOf(statusText: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(statusText);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** CPU ticks of a process (`tid` absent) or of one of its threads; undefined once it is gone. */
export function readCpuTicks(pid: number, tid?: number): number | undefined {
  const path = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  try {
    return cpuTicksOf(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Resident memory of a process in bytes; undefined once it is gone. */
export function readRssBytes(pid: number): number | undefined {
  try {
    return rssBytesOf(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}
