import { describe, expect, it } from 'vitest';
import { TransactionBlock } from '../../../electron/cli/transaction-block';

describe('TransactionBlock (qmp-shell transaction( ... ))', () => {
  it('collects one shorthand action a line and gives one transaction at )', () => {
    const block = new TransactionBlock();
    expect(block.feed('query-status')).toBeUndefined();
    expect(block.feed('transaction(')).toEqual({ kind: 'skip' });
    expect(block.isOpen).toBe(true);
    expect(block.feed('  blockdev-snapshot-sync device=d0 snapshot-file=/tmp/s.qcow2 format=qcow2')).toEqual({ kind: 'skip' });
    expect(block.feed('abort')).toEqual({ kind: 'skip' });
    expect(block.actionCount).toBe(2);
    expect(block.feed(' ) ')).toEqual({
      kind: 'command',
      command: {
        command: 'transaction',
        args: {
          actions: [
            { type: 'blockdev-snapshot-sync', data: { device: 'd0', 'snapshot-file': '/tmp/s.qcow2', format: 'qcow2' } },
            { type: 'abort', data: {} },
          ],
        },
        oob: false,
        userId: undefined,
      },
    });
    expect(block.isOpen).toBe(false);
  });

  it('takes a first action on the opening line and an empty block', () => {
    const block = new TransactionBlock();
    block.feed('transaction( abort');
    expect(block.actionCount).toBe(1);
    expect(block.feed(')')).toMatchObject({ kind: 'command' });
    block.feed('transaction(');
    expect(block.feed(')')).toMatchObject({ kind: 'command', command: { args: { actions: [] } } });
    expect(block.feed('transaction(x')).toBeUndefined(); // not the opening word
  });

  it('refuses a bad action but stays open; text after ) drops the block; an unclosed block is reported at the end', () => {
    const block = new TransactionBlock();
    block.feed('transaction(');
    expect(block.feed('a=1')).toMatchObject({ kind: 'invalid', message: /action not added/ });
    expect(block.isOpen).toBe(true);
    expect(block.feed(') more')).toMatchObject({ kind: 'invalid', message: /unexpected 'more'.*nothing was sent/ });
    expect(block.isOpen).toBe(false);
    expect(block.end()).toBeUndefined();
    block.feed('transaction(');
    expect(block.end()).toMatchObject({ kind: 'invalid', message: /input ended inside/ });
    block.feed('transaction(');
    expect(block.cancel()).toBe(true);
    expect(block.cancel()).toBe(false);
  });
});
