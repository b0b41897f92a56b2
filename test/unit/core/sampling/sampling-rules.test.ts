/**
 * The sampler's rules that need no QEMU: rates from counters (no spike after a gap or a
 * restart), /proc parsing (a comm with spaces and parentheses), and the refusal to claim a
 * remote QEMU's numbers.
 */
import { describe, expect, it } from 'vitest';
import { counterRate } from '../../../../electron/core/sampling/counter-rate';
import { findLocalQemu } from '../../../../electron/core/sampling/local-qemu';
import { cpuTicksOf, readCpuTicks, readRssBytes, rssBytesOf } from '../../../../electron/core/sampling/proc-stats';

describe('counterRate', () => {
  it('is the per-second delta', () => {
    expect(counterRate(1000, 3000, 500)).toBe(4000);
    expect(counterRate(10, 60, 1000, 2)).toBe(100);
  });
  it('is null without a previous reading, for a counter that went back, and for no elapsed time', () => {
    expect(counterRate(undefined, 5, 1000)).toBeNull();
    expect(counterRate(100, 5, 1000)).toBeNull();
    expect(counterRate(1, 5, 0)).toBeNull();
  });
});

describe('/proc parsing', () => {
  it('counts utime + stime after the last parenthesis, whatever the comm holds', () => {
    const fields = ['S', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '250', '50', '0', '0'];
    expect(cpuTicksOf(`4242 (qemu (x) y) ${fields.join(' ')}`)).toBe(300);
    expect(cpuTicksOf('garbage')).toBeUndefined();
  });
  it('reads VmRSS in bytes, and nothing from a zombie', () => {
    expect(rssBytesOf('Name:\tqemu\nVmRSS:\t  51200 kB\n')).toBe(51200 * 1024);
    expect(rssBytesOf('Name:\tqemu\nState:\tZ (zombie)\n')).toBeUndefined();
  });
  it('reads this very process, and nothing for a process that is gone', () => {
    expect(readCpuTicks(process.pid)).toBeGreaterThanOrEqual(0);
    expect(readRssBytes(process.pid)).toBeGreaterThan(1024 * 1024);
    expect(readCpuTicks(2 ** 30)).toBeUndefined();
    expect(readRssBytes(2 ** 30)).toBeUndefined();
  });
});

describe('findLocalQemu', () => {
  it('says a QEMU on another host has no local figures', async () => {
    await expect(findLocalQemu({ kind: 'tcp', host: '192.0.2.7', port: 4444 }, [process.pid])).resolves.toEqual({
      reason: 'QEMU runs on another host (192.0.2.7); CPU and memory are read from /proc on this host only',
    });
  });
  it('finds no socket for a path nothing listens on', async () => {
    const result = await findLocalQemu({ kind: 'unix', path: '/nonexistent/qmp.sock' }, []);
    expect(result).toEqual({ reason: 'no socket at /nonexistent/qmp.sock was found in this host\'s socket tables' });
  });
});
