/**
 * The app's per-VM wire log (`getWire`) against real QEMU: exact texts both ways, bytes, order.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/qemu';
import { useServiceFixture } from '../support/service';

const { startService, qemu } = useServiceFixture();

describe('getWire: a VM\'s raw traffic', () => {
  it('holds the greeting, our commands and QEMU\'s pretty=on replies exactly as they crossed the socket', async () => {
    const q = await qemu({ pretty: true, name: 'wire-vm' });
    const { svc, latest } = await startService();
    const { config } = await svc.handlers.addVm({ target: q.target, label: 'w', autoConnect: true });
    await waitFor(() => latest.get(config.id)?.connection.phase === 'ready', 'the VM to be ready', 20_000);
    const reply = await svc.handlers.executeCommand({ vmId: config.id, command: 'query-name' });
    expect(reply.ok).toBe(true);

    const page = await svc.handlers.getWire({ vmId: config.id, afterSeq: 0 });
    expect(page.dropped).toBe(0);
    const [greeting, negotiation] = page.entries;
    expect(greeting).toMatchObject({ seq: 1, dir: 'in', truncated: false });
    expect(greeting!.text).toMatch(/^\{\r\n {4}"QMP": \{\r\n/);
    expect(negotiation).toMatchObject({ seq: 2, dir: 'out', text: '{"execute":"qmp_capabilities","id":0,"arguments":{"enable":["oob"]}}\n' });
    const sent = page.entries.find((e) => e.dir === 'out' && e.text.includes('"query-name"'));
    expect(sent?.text).toMatch(/^\{"execute":"query-name","id":\d+\}\n$/);
    const answered = page.entries.find((e) => e.dir === 'in' && e.seq > sent!.seq && e.text.includes('"wire-vm"'));
    expect(answered?.text).toMatch(/^\{\r\n {4}"return": \{\r\n {8}"name": "wire-vm"\r\n {4}\},\r\n {4}"id": \d+\r\n\}\r\n$/);
    for (const e of page.entries) {
      expect(e.bytes).toBe(Buffer.byteLength(e.text));
      expect(e.textLength).toBe(e.text.length);
      expect(e.at).toBeGreaterThan(1_600_000_000_000);
    }
    expect(page.entries.map((e) => e.seq)).toEqual(page.entries.map((_, i) => i + 1));

    // Paging: after the last seq nothing, display cut with the full length given.
    expect((await svc.handlers.getWire({ vmId: config.id, afterSeq: page.lastSeq })).entries).toEqual([]);
    const cut = await svc.handlers.getWire({ vmId: config.id, afterSeq: 0, maxTextChars: 5 });
    expect(cut.entries[0]).toMatchObject({ text: greeting!.text.slice(0, 5), textLength: greeting!.text.length, truncated: true });
  });
});
