// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../electron/common/models';
import { MonitorStore } from '../../../renderer/src/state/monitor-store';
import { createFakeApi, makeVm } from './support/fake-api';

function ev(seq: number, vmId = 'a'): TimelineEvent {
  return { seq, vmId, event: 'STOP', timestamp: { seconds: 1, microseconds: 0 }, receivedAt: 0 };
}

describe('MonitorStore start-up', () => {
  it('subscribes to every push before reading any snapshot', async () => {
    const api = createFakeApi();
    const subscribedAtFirstRead: number[] = [];
    api.mocks.listVms.mockImplementation(async () => {
      subscribedAtFirstRead.push(api.listenerCount('vmChanged') + api.listenerCount('events') + api.listenerCount('vmRemoved'));
      return [];
    });
    await new MonitorStore(api).start();
    expect(subscribedAtFirstRead).toEqual([3]);
  });

  it('loses no event pushed while the backlog is being read, and keeps none twice', async () => {
    const api = createFakeApi();
    let answerBacklog: (value: { events: TimelineEvent[]; lastSeq: number }) => void = () => {};
    api.mocks.getEvents.mockImplementation(() => new Promise((resolve) => (answerBacklog = resolve)));
    const store = new MonitorStore(api);
    const started = store.start();
    api.emit('events', { events: [ev(3), ev(4)] });
    answerBacklog({ events: [ev(0), ev(1), ev(2), ev(3)], lastSeq: 3 });
    await started;
    api.emit('events', { events: [ev(4), ev(5)] });
    expect(store.getState().events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(store.getState().phase).toBe('ready');
  });

  it('selects the first VM and keeps the list order from the core', async () => {
    const store = new MonitorStore(createFakeApi([makeVm('a'), makeVm('b')]));
    await store.start();
    expect(store.getState().vms.map((vm) => vm.config.id)).toEqual(['a', 'b']);
    expect(store.getState().selectedId).toBe('a');
  });

  it('reports a failed first read as a load error instead of hanging', async () => {
    const api = createFakeApi();
    api.mocks.listVms.mockRejectedValue(new Error('bridge closed'));
    const store = new MonitorStore(api);
    await store.start();
    expect(store.getState()).toMatchObject({ phase: 'error', loadError: 'bridge closed' });
  });
});

describe('MonitorStore pushes', () => {
  it('replaces a VM on vmChanged, appends new ones, and announces connection changes', async () => {
    const api = createFakeApi([makeVm('a')]);
    const store = new MonitorStore(api);
    await store.start();
    api.emit('vmChanged', makeVm('a', { connection: { phase: 'reconnecting', reason: 'QEMU closed the socket', attempt: 1, since: 5 } }));
    api.emit('vmChanged', makeVm('b'));
    const { vms, announcement } = store.getState();
    expect(vms.map((vm) => [vm.config.id, vm.connection.phase])).toEqual([
      ['a', 'reconnecting'],
      ['b', 'ready'],
    ]);
    expect(announcement).toBe('b: ready');
  });

  it('announces entering and leaving a retry loop, not every retry', async () => {
    const api = createFakeApi([makeVm('a')]);
    const store = new MonitorStore(api);
    await store.start();
    const phase = (p: 'ready' | 'connecting' | 'reconnecting', reason?: string) =>
      api.emit('vmChanged', makeVm('a', { connection: { phase: p, attempt: 1, since: 1, ...(reason ? { reason } : {}) } }));
    phase('reconnecting', 'EOF');
    expect(store.getState().announcement).toBe('a: reconnecting (EOF)');
    phase('connecting');
    phase('reconnecting', 'ECONNREFUSED');
    expect(store.getState().announcement).toBe('a: reconnecting (EOF)');
    phase('ready');
    expect(store.getState().announcement).toBe('a: ready');
  });

  it('moves the selection to the neighbour when the selected VM is removed', async () => {
    const api = createFakeApi([makeVm('a'), makeVm('b'), makeVm('c')]);
    const store = new MonitorStore(api);
    await store.start();
    store.select('b');
    api.emit('vmRemoved', { id: 'b' });
    expect(store.getState().selectedId).toBe('c');
    api.emit('vmRemoved', { id: 'c' });
    expect(store.getState().selectedId).toBe('a');
    api.emit('vmRemoved', { id: 'a' });
    expect(store.getState().selectedId).toBeNull();
  });

  it('stops listening after stop()', async () => {
    const api = createFakeApi();
    const store = new MonitorStore(api);
    await store.start();
    store.stop();
    expect(api.listenerCount('vmChanged')).toBe(0);
    api.emit('vmChanged', makeVm('late'));
    expect(store.getState().vms).toEqual([]);
  });
});

describe('MonitorStore.runCommand', () => {
  it('is busy while QEMU answers and keeps the run state until QEMU reports a new one', async () => {
    const api = createFakeApi([makeVm('a')]);
    let answer: () => void = () => {};
    api.mocks.executeCommand.mockImplementation(
      () => new Promise((resolve) => (answer = () => resolve({ ok: true, returnJson: '{}', durationMs: 1 }))),
    );
    const store = new MonitorStore(api);
    await store.start();
    const running = store.runCommand('a', 'stop');
    expect(store.getState().actions['a']).toEqual({ busy: 'stop', error: null });
    answer();
    await running;
    expect(store.getState().actions['a']).toEqual({ busy: null, error: null });
    expect(store.getState().vms[0]!.runState?.status).toBe('running');
    expect(api.mocks.executeCommand).toHaveBeenCalledWith({ vmId: 'a', command: 'stop' });
  });

  it('records QMP errors as "Class: desc" and transport failures by message', async () => {
    const api = createFakeApi([makeVm('a')]);
    api.mocks.executeCommand.mockResolvedValueOnce({ ok: false, errorClass: 'GenericError', desc: 'Resetting the Virtual Machine is not supported', durationMs: 1 });
    api.mocks.executeCommand.mockRejectedValueOnce(new Error('VM a is not connected'));
    const store = new MonitorStore(api);
    await store.start();
    await store.runCommand('a', 'system_reset');
    expect(store.getState().actions['a']?.error).toBe('GenericError: Resetting the Virtual Machine is not supported');
    await store.runCommand('a', 'cont');
    expect(store.getState().actions['a']?.error).toBe('VM a is not connected');
    store.dismissError('a');
    expect(store.getState().actions['a']?.error).toBeNull();
  });
});
