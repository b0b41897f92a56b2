import { describe, expect, it, vi, type Mock } from 'vitest';
import { REQUEST_NAMES, type RequestHandlers } from '../../../electron/common/contract';
import {
  MAX_FORWARDED_TARGETS,
  absolutizeTarget,
  connectForwardedTargets,
  forwardedLaunch,
  readForwardedTargets,
} from '../../../electron/main/single-instance';

type HandlerMocks = Record<string, Mock<(params: never) => Promise<unknown>>>;

function handlersWith(existingTargets: string[]): HandlerMocks {
  const handlers: HandlerMocks = {};
  for (const name of REQUEST_NAMES) handlers[name] = vi.fn(async () => ({}));
  handlers['listVms'] = vi.fn(async () => existingTargets.map((target) => ({ config: { id: target, label: '', target, autoConnect: true } })));
  handlers['addVm'] = vi.fn(async (params: { target: string }) => ({ config: { target: params.target } }));
  return handlers;
}

const asHandlers = (mocks: HandlerMocks): RequestHandlers => mocks as unknown as RequestHandlers;

describe('single-instance forwarding', () => {
  it('makes socket paths absolute against the second instance folder, leaving TCP alone', () => {
    expect(absolutizeTarget('vm.sock/../vm/qmp.sock', '/home/u')).toBe('unix:/home/u/vm/qmp.sock');
    expect(absolutizeTarget('./run/qmp.sock', '/home/u')).toBe('unix:/home/u/run/qmp.sock');
    expect(absolutizeTarget('unix:rel/q.sock', '/srv')).toBe('unix:/srv/rel/q.sock');
    expect(absolutizeTarget('unix:/abs/q.sock', '/srv')).toBe('unix:/abs/q.sock');
    expect(absolutizeTarget('/abs/q.sock', '/srv')).toBe('/abs/q.sock');
    expect(absolutizeTarget('tcp:localhost:4444', '/srv')).toBe('tcp:localhost:4444');
    expect(absolutizeTarget('127.0.0.1:4444', '/srv')).toBe('127.0.0.1:4444');
    expect(absolutizeTarget('[::1]:4444', '/srv')).toBe('[::1]:4444');
    expect(absolutizeTarget('garbage', '/srv')).toBe('garbage');
    expect(forwardedLaunch(['a/q.sock', 'h:1'], '/w')).toEqual({ connect: ['unix:/w/a/q.sock', 'h:1'] });
  });

  it('reads targets from untrusted additional data defensively', () => {
    expect(readForwardedTargets({ connect: ['/a.sock', 'h:1'] })).toEqual(['/a.sock', 'h:1']);
    for (const junk of [undefined, null, 'x', 42, [], {}, { connect: 'x' }, { connect: {} }]) {
      expect(readForwardedTargets(junk)).toEqual([]);
    }
    expect(readForwardedTargets({ connect: ['', 7, null, 'x'.repeat(5000), '/ok.sock'] })).toEqual(['/ok.sock']);
    const many = Array.from({ length: 500 }, (_, i) => `/s${i}.sock`);
    expect(readForwardedTargets({ connect: many })).toHaveLength(MAX_FORWARDED_TARGETS);
  });

  it('adds only new targets through the validated path, once each', async () => {
    const handlers = handlersWith(['/known.sock']);
    const messages = await connectForwardedTargets(asHandlers(handlers), ['/known.sock', '/new.sock', '/new.sock', 'tcp:h:1']);
    expect(handlers['addVm']!.mock.calls.map((call) => call[0])).toEqual([
      { target: '/new.sock', autoConnect: true },
      { target: 'tcp:h:1', autoConnect: true },
    ]);
    expect(messages).toEqual([
      'second instance: /known.sock is already configured',
      'second instance: added /new.sock',
      'second instance: added tcp:h:1',
    ]);
  });

  it('reports targets the contract refuses and service failures without throwing', async () => {
    const handlers = handlersWith([]);
    handlers['listVms']!.mockRejectedValueOnce(new Error('registry closed'));
    handlers['addVm']!.mockRejectedValueOnce(new Error('cannot save settings'));
    const messages = await connectForwardedTargets(asHandlers(handlers), ['/a.sock', '   ']);
    expect(messages[0]).toBe('second instance: could not list VMs: registry closed');
    expect(messages[1]).toBe('second instance: /a.sock refused: cannot save settings');
    expect(messages[2]).toMatch(/^second instance:\s+refused: invalid addVm request at target/);
    expect(handlers['addVm']).toHaveBeenCalledTimes(1);
  });
});
