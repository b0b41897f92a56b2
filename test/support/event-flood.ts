/**
 * Floods of QMP events from fake peers (test/support/fake-qmp-server.ts), for the timeline's
 * flow-control tests: QEMU cannot be made to emit tens of thousands of events a second.
 */
import type { FakeConnection, FakeQmpOptions, ReceivedCommand } from './fake-qmp-server';

/** Answers what a VM session asks QEMU 7.2 at connect, and refuses the rest as QEMU refuses an unknown command. */
export function floodPeerCommands(name: string): NonNullable<FakeQmpOptions['onCommand']> {
  return (command: ReceivedCommand, conn: FakeConnection): void => {
    if (command.execute === 'query-status') void conn.reply(command, { status: 'running', singlestep: false, running: true });
    else if (command.execute === 'query-name') void conn.reply(command, { name });
    else void conn.send({ id: command.id, error: { class: 'CommandNotFound', desc: `The command ${command.execute} has not been found` } });
  };
}

/** The QMP line of the flood's `index`-th event: an RTC_CHANGE whose `offset` is the index (plus `padBytes` of data). */
export function floodLine(index: number, padBytes = 0): string {
  const pad = padBytes > 0 ? `, "pad": "${'p'.repeat(padBytes)}"` : '';
  return `{"timestamp": {"seconds": 1733140000, "microseconds": ${index % 1_000_000}}, "event": "RTC_CHANGE", "data": {"offset": ${index}${pad}}}\r\n`;
}

/**
 * Writes `count` events at about `perSecond` (Infinity: as fast as the socket takes them),
 * paced by the clock in 10 ms ticks of at most 20,000 events; resolves once all are written.
 */
export async function flood(conn: FakeConnection, count: number, perSecond: number, padBytes = 0): Promise<void> {
  const started = Date.now();
  let written = 0;
  while (written < count) {
    const due = Number.isFinite(perSecond) ? Math.floor(((Date.now() - started) / 1000) * perSecond) : count;
    const owed = Math.min(count, due, written + 20_000) - written;
    if (owed > 0) {
      const chunk: string[] = [];
      for (let i = 0; i < owed; i += 1) chunk.push(floodLine(written + i, padBytes));
      written += owed;
      await conn.write(chunk.join(''));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
