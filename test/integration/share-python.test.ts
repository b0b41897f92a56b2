/**
 * A client nobody here wrote the framing of: a few lines of Python 3 (no qemu.qmp) talk to the
 * shared endpoint as they would to QEMU, reading line by line as most scripts do.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllQemu, makeTempDir, startQemu, waitFor } from '../support/qemu';
import { shareTarget } from '../support/share-support';

/** Connects to the endpoint (argv[1]), reads the greeting; `send` writes a line, `until` reads up to a match. */
const PREAMBLE = `
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
`;

const SCRIPT = `${PREAMBLE}
send({"execute": "qmp_capabilities"})
until(lambda m: "return" in m)
send({"execute": "stop", "id": ["py", 1]})
stop = until(lambda m: m.get("event") == "STOP")
reply = until(lambda m: "id" in m)
print(json.dumps({"greeting": greeting, "stop": stop["event"], "reply": reply}))
`;

/**
 * The wire habits of QEMU's own Python library (qemu.qmp, under qmp-shell), which cannot be
 * installed here: negotiation without an id and with `arguments` always present (`{}`, or
 * `{"enable": ["oob"]}` when the greeting offers it), then `__qmp#NNNNN` string ids from its
 * async client and no id at all from the legacy one qmp-shell uses (replies then come in order).
 */
const QEMU_QMP_HABITS = `${PREAMBLE}
def reply():
    return until(lambda m: "event" not in m)
arguments = {}
if "oob" in greeting["QMP"]["capabilities"]: arguments["enable"] = ["oob"]
send({"execute": "qmp_capabilities", "arguments": arguments})
out = {"negotiated": reply()}
send({"execute": "query-commands", "id": "__qmp#00000"})
commands = reply()
out["commands"] = {"id": commands["id"], "has_stop": any(c["name"] == "stop" for c in commands["return"])}
send({"execute": "stop"}); send({"execute": "query-status"}); send({"execute": "no-such-command"})
out["unnumbered"] = [reply(), reply(), reply()]
send({"execute": "cont", "id": "__qmp#00001"})
out["numbered"] = reply()
print(json.dumps(out))
`;

/** Runs `script` with the endpoint's path as its argument; resolves with what it printed. */
function runPython(script: string, socketPath: string): Promise<string> {
  return new Promise<string>((resolve, reject) =>
    execFile('python3', ['-c', script, socketPath], { timeout: 20_000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out))),
  );
}

/** A fresh QEMU shared at a new endpoint for `body`; both are gone afterwards. */
async function withSharedQemu(body: (socketPath: string, setup: Awaited<ReturnType<typeof shareTarget>>) => Promise<void>): Promise<void> {
  const qemu = await startQemu();
  const socketPath = join(makeTempDir('qmp-share-py-'), 'share.sock');
  const setup = await shareTarget(qemu.target, socketPath);
  try {
    await body(socketPath, setup);
  } finally {
    await setup.stop();
    await qemu.kill();
  }
}

afterAll(killAllQemu);

describe('a Python raw-socket client', () => {
  it('gets the greeting, an event and its reply with its own id', () =>
    withSharedQemu(async (socketPath, setup) => {
      const stdout = await runPython(SCRIPT, socketPath);
      const result = JSON.parse(stdout) as { greeting: { QMP: { capabilities: string[] } }; stop: string; reply: unknown };
      expect(result.greeting.QMP.capabilities).toEqual(['oob']);
      expect(result.stop).toBe('STOP');
      expect(result.reply).toEqual({ return: {}, id: ['py', 1] });
      await waitFor(() => setup.monitor.clients().length === 0, 'the Python client to be gone');
    }));

  it('speaks as qemu.qmp does: negotiation with empty arguments, __qmp# ids, and id-less commands answered in order', () =>
    withSharedQemu(async (socketPath) => {
      const stdout = await runPython(QEMU_QMP_HABITS, socketPath);
      expect(JSON.parse(stdout)).toEqual({
        negotiated: { return: {} },
        commands: { id: '__qmp#00000', has_stop: true },
        unnumbered: [
          { return: {} },
          { return: { status: 'paused', singlestep: false, running: false } },
          { error: { class: 'CommandNotFound', desc: 'The command no-such-command has not been found' } },
        ],
        numbered: { return: {}, id: '__qmp#00001' },
      });
    }));
});
