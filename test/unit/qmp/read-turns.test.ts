import { describe, expect, it } from 'vitest';
import { ReadTurns } from '../../../electron/core/qmp/read-turns';

/** A reader that records its pauses and resumes. */
function reader() {
  const calls: string[] = [];
  return { calls, destroyed: false, pause: () => calls.push('pause'), resume: () => calls.push('resume') };
}

describe('ReadTurns', () => {
  it('pauses each socket that reads past the turn’s budget, and resumes them all on the next turn', () => {
    let now = 0;
    const turns: Array<() => void> = [];
    const shared = new ReadTurns(8, () => now, (callback) => turns.push(callback));
    const a = reader();
    const b = reader();
    shared.chunkStarted();
    now = 5;
    shared.chunkDone(a); // 5 ms: within the budget
    shared.chunkStarted();
    now = 9;
    shared.chunkDone(b); // 9 ms into the turn: b waits
    shared.chunkStarted();
    now = 12;
    shared.chunkDone(a); // and so does a
    shared.chunkDone(a); // once
    expect([a.calls, b.calls]).toEqual([['pause'], ['pause']]);
    expect(turns).toHaveLength(1); // one end of turn scheduled, however many chunks
    turns.shift()!();
    expect([a.calls, b.calls]).toEqual([['pause', 'resume'], ['pause', 'resume']]);
    // A new turn has its own budget.
    shared.chunkStarted();
    now = 15;
    shared.chunkDone(a);
    expect(a.calls).toEqual(['pause', 'resume']);
    expect(turns).toHaveLength(1);
  });

  it('leaves a destroyed socket alone', () => {
    let now = 0;
    const turns: Array<() => void> = [];
    const shared = new ReadTurns(8, () => now, (callback) => turns.push(callback));
    const gone = reader();
    shared.chunkStarted();
    now = 20;
    shared.chunkDone(gone);
    gone.destroyed = true;
    turns.shift()!();
    expect(gone.calls).toEqual(['pause']);
  });
});
