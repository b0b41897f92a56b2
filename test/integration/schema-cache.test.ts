/**
 * The schema and HMP names through the real MonitorService against real QEMU 7.2: two VMs of
 * the same binary cost one `query-qmp-schema`, counted by QEMU itself (its
 * `handle_qmp_command` trace on stderr), and the cache file serves a restarted service
 * without asking QEMU again.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSchemaModel } from '../../electron/common/qapi';
import { parseJsonLossless } from '../../electron/common/json-text';
import { waitFor, type TestQemu } from '../support/qemu';
import { useServiceFixture, type TestService } from '../support/service';

const fixture = useServiceFixture();
const DEADLINE_MS = 60_000;
const TRACE = ['-trace', 'handle_qmp_command'];

/** How many times QEMU dispatched `command`, from its own trace. */
const dispatched = (qemu: TestQemu, command: string): number =>
  qemu.stderr().split('\n').filter((line) => line.includes('handle_qmp_command') && line.includes(`"execute": "${command}"`)).length;

/** A marker command through the service; once QEMU traced it, every earlier trace line has been read. */
async function flushTrace(service: TestService, vmId: string, qemu: TestQemu): Promise<void> {
  const before = dispatched(qemu, 'query-version');
  await service.svc.handlers.executeCommand({ vmId, command: 'query-version' });
  await waitFor(() => dispatched(qemu, 'query-version') > before, 'the trace of query-version', DEADLINE_MS);
}

async function readyVm(service: TestService, qemu: TestQemu): Promise<string> {
  const { config } = await service.svc.handlers.addVm({ target: qemu.target, autoConnect: true });
  await waitFor(() => service.latest.get(config.id)?.connection.phase === 'ready', 'a ready VM', DEADLINE_MS);
  return config.id;
}

describe('getSchema and getHmpCommands', () => {
  it('reads query-qmp-schema once for two VMs of one build, and a restarted service reads the file', async () => {
    const [a, b] = await Promise.all([fixture.qemu({ extraArgs: TRACE }), fixture.qemu({ extraArgs: TRACE })]);
    const first = await fixture.startService({ journal: false });
    const [vmA, vmB] = await Promise.all([readyVm(first, a), readyVm(first, b)]);

    const [replyA, replyB] = await Promise.all([first.svc.handlers.getSchema({ vmId: vmA }), first.svc.handlers.getSchema({ vmId: vmB })]);
    const again = await first.svc.handlers.getSchema({ vmId: vmA });
    await Promise.all([flushTrace(first, vmA, a), flushTrace(first, vmB, b)]);
    expect(dispatched(a, 'query-qmp-schema') + dispatched(b, 'query-qmp-schema')).toBe(1);
    expect(replyB.schemaJson).toBe(replyA.schemaJson);
    expect(again.schemaJson).toBe(replyA.schemaJson);
    expect(replyA.qemu).toMatch(/^\d+\.\d+\.\d+$/);

    const model = buildSchemaModel(parseJsonLossless(replyA.schemaJson) as unknown[]);
    expect(model.unresolved).toEqual([]);
    expect(model.commands.get('query-status')).toBeDefined();
    const files = readdirSync(join(first.dataDir, 'schemas'));
    expect(files).toHaveLength(1);

    await fixture.stopService(first.svc);
    const second = await fixture.startService({ dataDir: first.dataDir, journal: false });
    const vmId = (await second.svc.handlers.listVms({})).find((v) => v.config.target === a.target)!.config.id;
    await waitFor(() => second.latest.get(vmId)?.connection.phase === 'ready', 'the VM ready after the restart', DEADLINE_MS);
    const restarted = await second.svc.handlers.getSchema({ vmId });
    await flushTrace(second, vmId, a);
    expect(restarted.schemaJson).toBe(replyA.schemaJson);
    expect(dispatched(a, 'query-qmp-schema') + dispatched(b, 'query-qmp-schema')).toBe(1);
  });

  it('lists HMP commands from help, once per build, and refuses a VM that is not connected', async () => {
    const qemu = await fixture.qemu({ extraArgs: TRACE });
    const service = await fixture.startService({ journal: false });
    const vmId = await readyVm(service, qemu);
    const { names } = await service.svc.handlers.getHmpCommands({ vmId });
    expect(names).toEqual(expect.arrayContaining(['stop', 'cont', 'c', 'quit', 'q', 'info', 'info status', 'info registers', 'system_reset']));
    await service.svc.handlers.getHmpCommands({ vmId });
    await flushTrace(service, vmId, qemu);
    expect(dispatched(qemu, 'human-monitor-command')).toBe(2);
    expect(existsSync(join(service.dataDir, 'schemas'))).toBe(true);

    await service.svc.handlers.disconnectVm({ id: vmId });
    await expect(service.svc.handlers.getSchema({ vmId })).rejects.toThrow(/not connected/);
  });
});
