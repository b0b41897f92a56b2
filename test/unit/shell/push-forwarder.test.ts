import { describe, expect, it } from 'vitest';
import type { PushListener } from '../../../electron/core/service/service-types';
import { forwardPushes } from '../../../electron/main/push-forwarder';
import { TrustedSenders } from '../../../electron/main/sender-guard';
import { MockWebContents } from '../../support/electron-mock';

function fakePushSource(): { emit: PushListener; onPush(listener: PushListener): () => void; count(): number } {
  const listeners = new Set<PushListener>();
  return {
    emit: (channel, payload) => listeners.forEach((listener) => listener(channel, payload)),
    onPush(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    count: () => listeners.size,
  };
}

describe('push forwarder', () => {
  it('sends pushes to trusted live webContents only, on qmp:push:<channel>', () => {
    const source = fakePushSource();
    const trusted = new TrustedSenders();
    const ours = new MockWebContents();
    const closed = new MockWebContents();
    const stranger = new MockWebContents();
    trusted.add(ours);
    trusted.add(closed);
    closed.destroy();
    const stop = forwardPushes(source, trusted, () => undefined);
    source.emit('vmRemoved', { id: 'vm-1' });
    expect(ours.sent).toEqual([{ channel: 'qmp:push:vmRemoved', args: [{ id: 'vm-1' }] }]);
    expect(closed.sent).toEqual([]);
    expect(stranger.sent).toEqual([]);
    stop();
    expect(source.count()).toBe(0);
  });

  it('keeps delivering to other windows when one send throws', () => {
    const source = fakePushSource();
    const trusted = new TrustedSenders();
    const broken = Object.assign(new MockWebContents(), {
      send: () => {
        throw new Error('An object could not be cloned');
      },
    });
    const healthy = new MockWebContents();
    trusted.add(broken);
    trusted.add(healthy);
    const logs: string[] = [];
    forwardPushes(source, trusted, (m) => logs.push(m));
    source.emit('events', { events: [] });
    source.emit('vmRemoved', { id: 'x' });
    expect(healthy.sent.map((s) => s.channel)).toEqual(['qmp:push:events', 'qmp:push:vmRemoved']);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/push events to webContents \d+ failed: An object could not be cloned/);
  });
});
