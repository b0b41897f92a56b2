/**
 * A client nobody here wrote the framing of: a few lines of Python 3 (no qemu.qmp) talk to the
 * shared endpoint as they would to QEMU, reading line by line as most scripts do.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllQemu, makeTempDir, startQemu, waitFor } from '../support/qemu';
import { shareTarget } from '../support/share-support';

const SCRIPT = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
f = s.makefile('rwb')
def send(obj):
    f.write(json.dumps(obj).encode() + b'\\n'); f.flush()
def until(pred):
    while True:
        msg = json.loads(f.readline())
        if pred(msg): return msg
greeting = json.loads(f.readline())
send({"execute": "qmp_capabilities"})
until(lambda m: "return" in m)
send({"execute": "stop", "id": ["py", 1]})
stop = until(lambda m: m.get("event") == "STOP")
reply = until(lambda m: "id" in m)
print(json.dumps({"greeting": greeting, "stop": stop["event"], "reply": reply}))
`;

afterAll(killAllQemu);

describe('a Python raw-socket client', () => {
  it('gets the greeting, an event and its reply with its own id', async () => {
    const qemu = await startQemu();
    const dir = makeTempDir('qmp-share-py-');
    const setup = await shareTarget(qemu.target, join(dir, 'share.sock'));
    try {
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile('python3', ['-c', SCRIPT, join(dir, 'share.sock')], { timeout: 20_000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out))),
      );
      const result = JSON.parse(stdout) as { greeting: { QMP: { capabilities: string[] } }; stop: string; reply: unknown };
      expect(result.greeting.QMP.capabilities).toEqual(['oob']);
      expect(result.stop).toBe('STOP');
      expect(result.reply).toEqual({ return: {}, id: ['py', 1] });
      await waitFor(() => setup.monitor.clients().length === 0, 'the Python client to be gone');
    } finally {
      await setup.stop();
      await qemu.kill();
    }
  });
});
