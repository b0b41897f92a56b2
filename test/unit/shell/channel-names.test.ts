import { describe, expect, it } from 'vitest';
import { IPC_PREFIX as NAMES_PREFIX, PUSH_CHANNELS, REQUEST_CHANNELS } from '../../../electron/common/channel-names';
import { IPC_PREFIX, PUSH_NAMES, PUSHES, REQUEST_NAMES, REQUESTS } from '../../../electron/common/contract';

describe('zod-free channel name lists', () => {
  it('equal the keys of the contract maps, without duplicates', () => {
    expect([...REQUEST_CHANNELS].sort()).toEqual(Object.keys(REQUESTS).sort());
    expect([...PUSH_CHANNELS].sort()).toEqual(Object.keys(PUSHES).sort());
    expect(new Set(REQUEST_CHANNELS).size).toBe(REQUEST_CHANNELS.length);
    expect(new Set(PUSH_CHANNELS).size).toBe(PUSH_CHANNELS.length);
    expect(REQUEST_NAMES).toEqual([...REQUEST_CHANNELS]);
    expect(PUSH_NAMES).toEqual([...PUSH_CHANNELS]);
    expect(IPC_PREFIX).toBe(NAMES_PREFIX);
  });
});
