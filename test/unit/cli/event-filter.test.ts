import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventMatcher, eventPatternProblem, globMatches } from '../../../electron/cli/event-filter';

describe('globMatches', () => {
  it.each([
    ['STOP', 'STOP', true],
    ['STOP', 'STOPPED', false],
    ['STOP', 'stop', false],
    ['BLOCK_JOB_*', 'BLOCK_JOB_COMPLETED', true],
    ['BLOCK_JOB_*', 'BLOCK_JOB_', true],
    ['BLOCK_JOB_*', 'BLOCK_IO_ERROR', false],
    ['*_ERROR', 'BLOCK_IO_ERROR', true],
    ['*_ERROR', 'BLOCK_IO_ERRORS', false],
    ['*JOB*', 'JOB_STATUS_CHANGE', true],
    ['*JOB*', 'BLOCK_JOB_READY', true],
    ['*', '', true],
    ['**', 'ANY', true],
    ['A*B*C', 'AxxBxxC', true],
    ['A*B*C', 'AxxCxxB', false],
    ['A*A', 'A', false],
    ['__com.redhat_*', '__com.redhat_X', true],
    ['__com.redhat_*', '__comXredhat_X', false],
  ])('%s against %s is %s', (pattern, name, want) => {
    expect(globMatches(pattern, name)).toBe(want);
  });

  it('agrees with the equivalent regular expression on any input', () => {
    const alphabet = fc.constantFrom('A', 'B', '_', '.', '*');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 8 }), fc.string({ unit: fc.constantFrom('A', 'B', '_', '.'), maxLength: 12 }), (pattern, name) => {
        const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.]/g, '\\.')).join('.*')}$`);
        expect(globMatches(pattern, name)).toBe(regex.test(name));
      }),
    );
  });

  it('stays fast on a long name a peer might send', () => {
    const started = performance.now();
    expect(globMatches('*A*A*A*A*A*A*A*B', 'A'.repeat(100_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('eventMatcher', () => {
  it('matches everything without patterns, else any one pattern', () => {
    expect(eventMatcher([])('ANYTHING')).toBe(true);
    const m = eventMatcher(['BLOCK_JOB_*', 'STOP']);
    expect(['STOP', 'BLOCK_JOB_READY', 'RESUME', 'STOPX'].map(m)).toEqual([true, true, false, false]);
  });
});

describe('eventPatternProblem', () => {
  it('takes QAPI names and *, refuses what would silently match nothing', () => {
    expect(eventPatternProblem('BLOCK_JOB_*')).toBeUndefined();
    expect(eventPatternProblem('__com.redhat-x_Y*')).toBeUndefined();
    expect(eventPatternProblem('')).toBe('empty event name');
    expect(eventPatternProblem('STOP|RESUME')).toMatch(/not an event name or pattern/);
    expect(eventPatternProblem('X'.repeat(129))).toMatch(/too long \(129 characters; at most 128\)/);
  });
});
