import { describe, expect, it } from 'vitest';
import { createShutdown } from '../../../electron/main/shutdown';

function quitEvent(): { prevented: number; preventDefault(): void } {
  return {
    prevented: 0,
    preventDefault() {
      this.prevented += 1;
    },
  };
}

describe('shutdown sequence', () => {
  it('holds the first quit until the service is disposed, then quits once', async () => {
    let finishDispose: () => void = () => undefined;
    let disposeCalls = 0;
    let quits = 0;
    const shutdown = createShutdown({
      dispose: () => {
        disposeCalls += 1;
        return new Promise<void>((resolve) => (finishDispose = resolve));
      },
      quit: () => (quits += 1),
      log: () => undefined,
      timeoutMs: 60_000,
    });
    const first = quitEvent();
    shutdown.onBeforeQuit(first);
    shutdown.onWindowAllClosed();
    const second = quitEvent();
    shutdown.onBeforeQuit(second);
    expect([first.prevented, second.prevented, disposeCalls, quits]).toEqual([1, 1, 1, 0]);
    finishDispose();
    await shutdown.done;
    expect(quits).toBe(1);
    const last = quitEvent();
    shutdown.onBeforeQuit(last);
    expect(last.prevented).toBe(0);
  });

  it('quits anyway when disposal fails, hangs past the timeout, or there is no service', async () => {
    const logs: string[] = [];
    let quits = 0;
    const failing = createShutdown({
      dispose: () => Promise.reject(new Error('qemu would not die')),
      quit: () => (quits += 1),
      log: (m) => logs.push(m),
      timeoutMs: 60_000,
    });
    failing.onWindowAllClosed();
    await failing.done;
    const hanging = createShutdown({ dispose: () => new Promise<void>(() => undefined), quit: () => (quits += 1), log: (m) => logs.push(m), timeoutMs: 20 });
    hanging.onWindowAllClosed();
    await hanging.done;
    const absent = createShutdown({ dispose: () => undefined, quit: () => (quits += 1), log: (m) => logs.push(m), timeoutMs: 20 });
    absent.onBeforeQuit(quitEvent());
    await absent.done;
    expect(quits).toBe(3);
    expect(logs).toEqual(['service failed to stop: qemu would not die', 'service did not stop within 20 ms; quitting anyway']);
  });
});
