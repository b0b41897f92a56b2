import { describe, expect, it } from 'vitest';
import { commandMarker } from '../../../electron/core/vm/command-marker';

const ok = { ok: true as const, returnJson: '{}', durationMs: 1.23456 };

describe('command markers', () => {
  it('keep the arguments of an ordinary command', () => {
    expect(commandMarker('device_del', { id: 'vblk0' }, ok).data).toMatchObject({ command: 'device_del', arguments: { id: 'vblk0' }, outcome: 'ok' });
  });

  it.each(['set_password', 'object-add', 'human-monitor-command', 'qom-set'])('leave out the arguments of %s, which can hold a secret', (command) => {
    const data = commandMarker(command, { path: '/objects/sec0', property: 'data', value: 'hunter2' }, ok).data as Record<string, unknown>;
    expect(data['arguments']).toBeUndefined();
    expect(JSON.stringify(data)).not.toContain('hunter2');
  });
});
