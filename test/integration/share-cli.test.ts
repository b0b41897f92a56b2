/**
 * `qmp-monitor proxy` against real QEMU, with two CLI processes (found through the registry)
 * and a raw socket client using it at once; `--direct` bypasses it; SIGTERM cleans up.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, useCliFixture } from '../support/cli';
import { waitFor } from '../support/qemu';
import { rawClient } from '../support/share-support';

const { qemu, spawn, run, tempDir } = useCliFixture();

describe('qmp-monitor proxy', () => {
  it('serves two CLIs (by auto-detection) and a raw client at once, then cleans up on SIGTERM', { timeout: 90_000 }, async () => {
    const q = await qemu();
    const runtime = tempDir();
    const env = { QMP_MONITOR_RUNTIME_DIR: runtime };
    const socket = join(tempDir(), 'share.sock');
    const proxy = spawn(['proxy', q.target, '--listen', `unix:${socket}`, '--listen', 'tcp:127.0.0.1:0'], env);
    await proxy.waitForOutput(/QEMU connected; sharing/, 'stderr');
    expect(proxy.stderr()).toMatch(/listening on unix:.*share\.sock and tcp:127\.0\.0\.1:\d+/);
    expect(readdirSync(join(runtime, 'held'))).toHaveLength(1);

    const events = spawn(['events', q.target, '--count', '2', '--verbose'], env);
    await events.waitForOutput(/held by qmp-monitor proxy \(pid \d+\); using its shared endpoint unix:/, 'stderr');
    const raw = await rawClient(`unix:${socket}`);
    await raw.waitForCount(1);
    raw.send('{"execute":"qmp_capabilities","id":"n"}\n');
    await raw.waitFor((m) => m['id'] === 'n', 'negotiation');
    // Wait until the events CLI is negotiated too (it shows in the proxy's client log).
    await waitFor(() => (proxy.stderr().match(/connected \(unix\)/g) ?? []).length >= 2, 'both clients');

    const shell = spawn(['shell', q.target], env);
    shell.child.stdin?.end(
      ['{"execute":"query-status","id":"s-1"}', '{"execute":"query-name","id":7}', '{"execute":"query-version","id":{"k":[1]}}', '{"execute":"query-kvm"}'].join('\n') + '\n',
    );
    raw.send('{"execute":"query-status","id":"s-1"}\n{"execute":"query-name","id":7}\n');
    const shellResult = await shell.done;
    expect(shellResult.code).toBe(0);
    const lines = jsonLines(shellResult.stdout) as Array<Record<string, unknown>>;
    expect(lines.map((l) => l['id'])).toEqual(['s-1', 7, { k: [1] }, undefined]);
    expect(lines[0]).toMatchObject({ return: { status: 'running' } });
    await raw.waitFor((m) => m['id'] === 7, "the raw client's replies");
    expect(raw.messages.filter((m) => 'return' in m).map((m) => m['id'])).toEqual(['n', 's-1', 7]);

    // stop from the raw client: the events CLI sees STOP, exec sees paused, then cont → RESUME.
    raw.send('{"execute":"stop","id":"stop"}\n');
    await raw.waitFor((m) => m['id'] === 'stop', 'stop');
    const status = await run(['exec', q.target, 'query-status'], '', env);
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'paused', running: false });
    raw.send('{"execute":"cont","id":"cont"}\n');
    const eventsResult = await events.done;
    expect(eventsResult.code).toBe(0);
    expect((jsonLines(eventsResult.stdout) as Array<{ event: string }>).map((e) => e.event)).toEqual(['STOP', 'RESUME']);
    expect(eventsResult.stderr.match(/held by/g)).toHaveLength(1);

    // --direct goes to QEMU itself, which the proxy holds: no greeting within the timeout.
    const direct = await run(['exec', q.target, 'query-status', '--direct', '--timeout', '1'], '', env);
    expect(direct.code).toBe(2);
    expect(direct.stderr).toMatch(/^error: .*no QMP greeting/);

    expect(proxy.stderr()).toMatch(/query-status → ok/);
    raw.close();
    proxy.child.kill('SIGTERM');
    const ended = await proxy.done;
    expect(ended.code).toBe(0);
    expect(existsSync(socket)).toBe(false);
    expect(readdirSync(join(runtime, 'held'))).toHaveLength(0);
    // With the proxy gone, the CLI connects directly again.
    const after = await run(['exec', q.target, 'query-status', '--verbose'], '', env);
    expect(after.code).toBe(0);
    expect(after.stderr).not.toMatch(/held by/);
  });

  it('ignores a registry entry whose holder died, and refuses --listen outside loopback', async () => {
    const q = await qemu();
    const runtime = tempDir();
    const env = { QMP_MONITOR_RUNTIME_DIR: runtime };
    const proxy = spawn(['proxy', q.target, '--listen', `unix:${join(tempDir(), 'p.sock')}`], env);
    await proxy.waitForOutput(/QEMU connected; sharing/, 'stderr');
    proxy.child.kill('SIGKILL'); // leaves its registry entry and socket file behind
    await proxy.done;
    const result = await run(['exec', q.target, 'query-status', '--verbose'], '', env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(join(runtime, 'held'))).toHaveLength(0);
    const refused = await run(['proxy', q.target, '--listen', 'tcp:0.0.0.0:4444']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/127\.0\.0\.1 only/);
  });
});
