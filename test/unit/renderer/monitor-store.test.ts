// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TimelineEvent, VmSnapshot } from '../../../electron/common/models';
import type { LinkEvent } from '../../../electron/common/rpc-link';
import { eventsPerSecond } from '../../../renderer/src/lib/event-rate';
import { MonitorStore } from '../../../renderer/src/state/monitor-store';
import { createFakeApi, makeVm, type FakeApi } from './support/fake-api';
import { showEventsNow } from './support/render-app';

function ev(seq: number, vmId = 'a', receivedAt = 0): TimelineEvent {
  return { seq, vmId, event: 'STOP', timestamp: { seconds: 1, microseconds: 0 }, receivedAt };
}

/** A fake whose link can be dropped and restored, like the web bridge client. */
function linkedApi(vms: readonly VmSnapshot[] = []): FakeApi & { link(event: LinkEvent): void } {
  const api = createFakeApi(vms);
  const listeners = new Set<(event: LinkEvent) => void>();
  return Object.assign(api, {
    onLink: (listener: (event: LinkEvent) => void) => (listeners.add(listener), () => listeners.delete(listener)),
    link: (event: LinkEvent) => listeners.forEach((listener) => listener(event)),
  });
}

/** Resolves once `check` holds (the store's catch-up runs on promises), or fails after 2 s. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** A started store whose frames wait in `frames` until the test runs them, counting its changes. */
async function storeWithHeldFrames(api: FakeApi): Promise<{ store: MonitorStore; frames: Array<() => void>; changes: () => number }> {
  const frames: Array<() => void> = [];
  const store = new MonitorStore(api, undefined, (show) => frames.push(show));
  await store.start();
  let changes = 0;
  store.subscribe(() => (changes += 1));
  return { store, frames, changes: () => changes };
}

describe('MonitorStore start-up', () => {
  it('subscribes to every push before reading any snapshot', async () => {
    const api = createFakeApi();
    const subscribedAtFirstRead: number[] = [];
    api.mocks.listVms.mockImplementation(async () => {
      subscribedAtFirstRead.push(api.listenerCount('vmChanged') + api.listenerCount('events') + api.listenerCount('vmRemoved'));
      return [];
    });
    await new MonitorStore(api, undefined, showEventsNow).start();
    expect(subscribedAtFirstRead).toEqual([3]);
  });

  it('loses no event pushed while the backlog is being read, and keeps none twice', async () => {
    const api = createFakeApi();
    let answerBacklog: (value: { events: TimelineEvent[]; lastSeq: number }) => void = () => {};
    api.mocks.getEvents.mockImplementation(() => new Promise((resolve) => (answerBacklog = resolve)));
    const store = new MonitorStore(api, undefined, showEventsNow);
    const started = store.start();
    api.emit('events', { events: [ev(3), ev(4)] });
    answerBacklog({ events: [ev(0), ev(1), ev(2), ev(3)], lastSeq: 3 });
    await started;
    api.emit('events', { events: [ev(4), ev(5)] });
    expect(store.getState().events.toArray().map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(store.getState().phase).toBe('ready');
  });

  it('shows the events of many pushes in one change per frame, and acknowledges each push at once', async () => {
    const api = createFakeApi();
    const { store, frames, changes } = await storeWithHeldFrames(api);
    for (let push = 0; push < 5; push += 1) api.emit('events', { events: [ev(push * 2), ev(push * 2 + 1)], afterSeq: push * 2 - 1, lastSeq: push * 2 + 1, flow: 'F' });
    expect(api.mocks.ackEvents.mock.calls.map(([p]) => p.seq)).toEqual([1, 3, 5, 7, 9]);
    expect(store.getState().events.length).toBe(0); // nothing drawn before the frame
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(changes()).toBe(1);
    expect(store.getState().events.toArray().map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(eventsPerSecond(store.getState().arrivals['a'], 0, 1)).toEqual([10]);
  });

  it('shows the VM changes pushed within a frame in one change, newest per VM, announcing a drop that came back', async () => {
    const api = createFakeApi([makeVm('a'), makeVm('b')]);
    const { store, frames, changes } = await storeWithHeldFrames(api);
    const dropped = { phase: 'reconnecting', attempt: 1, since: 2, reason: 'closed' } as const;
    api.emit('vmChanged', makeVm('a', { connection: dropped }));
    api.emit('vmChanged', makeVm('a', { name: 'a-back', connection: { phase: 'ready', attempt: 0, since: 3 } }));
    for (let job = 0; job < 20; job += 1) api.emit('vmChanged', makeVm('b', { name: `b-${job}` }));
    api.emit('events', { events: [ev(0, 'b')], afterSeq: -1, lastSeq: 0, flow: 'F' });
    expect(changes()).toBe(0);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(changes()).toBe(1);
    const state = store.getState();
    expect(state.vms.map((vm) => vm.name)).toEqual(['a-back', 'b-19']);
    expect(state.events.length).toBe(1);
    expect(state.announcement).toBe('a-back: ready');
  });

  it('shows how far behind the pushes are once per frame, with the events they brought', async () => {
    const api = createFakeApi();
    const { store, frames, changes } = await storeWithHeldFrames(api);
    for (let push = 0; push < 5; push += 1) api.emit('events', { events: [ev(push * 2), ev(push * 2 + 1)], afterSeq: push * 2 - 1, lastSeq: push * 2 + 1, headSeq: 50_000, flow: 'F' });
    expect(changes()).toBe(0);
    frames.shift()!();
    expect(changes()).toBe(1);
    expect(store.getState().eventProgress).toMatchObject({ kind: 'catching-up', behind: 50_000 - 9 });
    expect(store.getState().events.length).toBe(10);
  });

  it('lets a removal or a command answer win over a VM change still waiting for its frame', async () => {
    const api = createFakeApi([makeVm('a'), makeVm('b')]);
    const { store, frames } = await storeWithHeldFrames(api);
    api.emit('vmChanged', makeVm('a', { name: 'pushed-before-answer' }));
    api.emit('vmChanged', makeVm('b', { name: 'pushed-before-removal' }));
    await store.disconnectVm('a');
    api.emit('vmRemoved', { id: 'b' });
    for (const show of frames.splice(0)) show();
    expect(store.getState().vms.map((vm) => [vm.config.id, vm.name, vm.connection.phase])).toEqual([['a', 'a', 'stopped']]);
  });

  it('loads the whole held history, oldest first in pages, and ends at the present', async () => {
    const api = createFakeApi();
    // What the core holds: 49,975 events; one page is 10,000.
    const held = Array.from({ length: 49_975 }, (_, seq) => ev(seq));
    api.mocks.getEvents.mockImplementation(async (p: { afterSeq: number; limit: number; newest?: boolean }) => {
      const after = held.filter((event) => event.seq > p.afterSeq);
      return { events: p.newest ? after.slice(-p.limit) : after.slice(0, p.limit), lastSeq: 49_974 };
    });
    const store = new MonitorStore(api, undefined, showEventsNow);
    await store.start();
    expect(api.mocks.getEvents).toHaveBeenCalledWith(expect.objectContaining({ afterSeq: -1 }));
    await until(() => store.getState().events.last()?.seq === 49_974);
    expect(store.getState().events.length).toBe(49_975);
    expect(store.getState().eventProgress).toBeNull();
  });

  it('keeps a VM removed while the first listVms was in flight removed (pushes apply after the snapshot)', async () => {
    const api = createFakeApi();
    let answerList: (vms: VmSnapshot[]) => void = () => {};
    api.mocks.listVms.mockImplementation(() => new Promise((resolve) => (answerList = resolve)));
    const store = new MonitorStore(api, undefined, showEventsNow);
    const started = store.start();
    api.emit('vmRemoved', { id: 'b' });
    api.emit('vmChanged', makeVm('a', { name: 'renamed' }));
    answerList([makeVm('a'), makeVm('b')]);
    await started;
    expect(store.getState().vms.map((vm) => [vm.config.id, vm.name])).toEqual([['a', 'renamed']]);
    expect(store.getState().selectedId).toBe('a');
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
    const store = new MonitorStore(api, undefined, showEventsNow);
    await store.start();
    expect(store.getState()).toMatchObject({ phase: 'error', loadError: 'bridge closed' });
  });
});

describe('MonitorStore pushes', () => {
  it('replaces a VM on vmChanged, appends new ones, and announces connection changes', async () => {
    const api = createFakeApi([makeVm('a')]);
    const store = new MonitorStore(api, undefined, showEventsNow);
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
    const store = new MonitorStore(api, undefined, showEventsNow);
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
    const store = new MonitorStore(api, undefined, showEventsNow);
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
    const store = new MonitorStore(api, undefined, showEventsNow);
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
    const store = new MonitorStore(api, undefined, showEventsNow);
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
    const store = new MonitorStore(api, undefined, showEventsNow);
    await store.start();
    await store.runCommand('a', 'system_reset');
    expect(store.getState().actions['a']?.error).toBe('GenericError: Resetting the Virtual Machine is not supported');
    await store.runCommand('a', 'cont');
    expect(store.getState().actions['a']?.error).toBe('VM a is not connected');
    store.dismissError('a');
    expect(store.getState().actions['a']?.error).toBeNull();
  });
});

describe('MonitorStore event rate', () => {
  it('counts every arrival per VM and second, far beyond what the event buffer keeps', async () => {
    const api = createFakeApi();
    api.mocks.getEvents.mockResolvedValue({ events: [ev(0, 'a', 5_000), ev(1, 'b', 5_100)], lastSeq: 1 });
    const capacity = 5_000;
    const store = new MonitorStore(api, capacity, showEventsNow);
    await store.start();
    const total = capacity * 4;
    for (let batch = 0; batch < 20; batch++) {
      const events = Array.from({ length: total / 20 }, (_, i) => ev(2 + batch * (total / 20) + i, 'a', 6_000 + batch * 100));
      api.emit('events', { events });
      api.emit('events', { events: events.slice(0, 10) }); // a repeat counts once
    }
    const { events, arrivals } = store.getState();
    expect(events.length).toBe(capacity);
    expect(events.dropped).toBe(total + 2 - capacity);
    expect(eventsPerSecond(arrivals['a'], 9_999, 5)).toEqual([1, total / 2, total / 2, 0, 0]);
    expect(eventsPerSecond(arrivals['b'], 9_999, 5)).toEqual([1, 0, 0, 0, 0]);
  });
});

describe('MonitorStore after the link drops', () => {
  it('says it is reconnecting, then catches up from the last seq and re-reads the snapshots', async () => {
    const api = linkedApi([makeVm('a'), makeVm('b')]);
    api.mocks.getEvents.mockResolvedValueOnce({ events: [ev(0), ev(1)], lastSeq: 1 });
    const store = new MonitorStore(api, undefined, showEventsNow);
    await store.start();
    api.link({ kind: 'lost', reason: 'client too slow; reconnect and catch up', attempt: 1, nextRetryAt: 1_250 });
    expect(store.getState()).toMatchObject({
      coreLost: 'client too slow; reconnect and catch up',
      reconnecting: { attempt: 1, nextRetryAt: 1_250, catchingUp: false },
    });
    api.mocks.listVms.mockResolvedValue([makeVm('a')]);
    api.mocks.getEvents.mockResolvedValueOnce({ events: [ev(2), ev(3)], lastSeq: 3 });
    api.link({ kind: 'restored', attempt: 2 });
    expect(store.getState().reconnecting).toEqual({ attempt: 2, nextRetryAt: null, catchingUp: true });
    api.emit('events', { events: [ev(3), ev(4)] });
    await until(() => store.getState().reconnecting === null);
    expect(api.mocks.getEvents).toHaveBeenLastCalledWith(expect.objectContaining({ afterSeq: 1 }));
    expect(store.getState().events.toArray().map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(store.getState().vms.map((vm) => vm.config.id)).toEqual(['a']);
    expect(store.getState().coreLost).toBeNull();
  });

  it('starts over when the core restarted and counts seqs from 0 again', async () => {
    const api = linkedApi();
    api.mocks.getEvents.mockResolvedValueOnce({ events: [ev(7), ev(8)], lastSeq: 8 });
    const store = new MonitorStore(api, undefined, showEventsNow);
    await store.start();
    api.mocks.getEvents.mockResolvedValueOnce({ events: [], lastSeq: 1 }).mockResolvedValueOnce({ events: [ev(0), ev(1)], lastSeq: 1 });
    api.link({ kind: 'lost', reason: 'connection closed (code 1006)', attempt: 1, nextRetryAt: 1 });
    api.link({ kind: 'restored', attempt: 1 });
    await until(() => store.getState().reconnecting === null);
    expect(store.getState().events.toArray().map((e) => e.seq)).toEqual([0, 1]);
  });

  it('shows a drop without retry as lost, with nothing scheduled', async () => {
    const api = linkedApi();
    const store = new MonitorStore(api, undefined, showEventsNow);
    await store.start();
    api.link({ kind: 'lost', reason: 'bridge speaks API version 2', attempt: 3, nextRetryAt: null });
    expect(store.getState()).toMatchObject({ coreLost: 'bridge speaks API version 2', reconnecting: null });
  });
});

describe('MonitorStore views', () => {
  it('switches between status and timeline, and opens the timeline scoped to one VM', async () => {
    const store = new MonitorStore(createFakeApi([makeVm('a'), makeVm('b')]));
    await store.start();
    expect(store.getState()).toMatchObject({ view: 'status', timelineScope: 'all', selectedId: 'a' });
    store.showView('timeline');
    expect(store.getState().view).toBe('timeline');
    store.showView('status');
    store.showTimelineFor('b');
    expect(store.getState()).toMatchObject({ view: 'timeline', timelineScope: 'selected', selectedId: 'b' });
    store.setTimelineScope('all');
    expect(store.getState().timelineScope).toBe('all');
  });
});
