/**
 * The shared endpoint's cost (issue 11): round trips through the multiplexer against QEMU
 * directly, and events fanned out to 10 clients at 10,000/s.
 *
 * Round trips use one real `-M none` QEMU with two monitors: one held by a QmpClient and
 * shared (the app's position), one for the direct baseline, measured alternately with the
 * same bare socket client. The fan-out needs 10,000 events/s for 10 s, which QEMU cannot emit
 * on demand, so a fake upstream in this process writes QEMU-shaped events at that rate.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { QmpClient } from '../electron/core/qmp/qmp-client';
import { parseTarget } from '../electron/core/qmp/target';
import { SharedMonitor } from '../electron/core/share/shared-monitor';
import { makeTempDir, removeTempDir, startQemu } from '../test/support/qemu';
import { BareQmp, median, QUERY } from './bare-qmp';
import { result } from './report';
import type { BenchResult } from './types';

const COMMANDS = 3_000;
const ROUNDS = 7;

/**
 * Commands/s over one long-lived connection. Connections are opened once per side, before
 * any timing: a shared client's connect costs a one-off peer lookup (`ss`, see
 * peer-process.ts) that would otherwise compete for the two cores with the timed loop.
 */
async function rate(bare: BareQmp, pipelined: boolean): Promise<number> {
  const start = process.hrtime.bigint();
  await (pipelined ? bare.expect(COMMANDS, QUERY.repeat(COMMANDS)) : bare.sequential(COMMANDS));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return COMMANDS / seconds;
}

async function roundTrips(): Promise<BenchResult[]> {
  const dir = makeTempDir('qmp-share-bench-');
  const direct = join(dir, 'direct.sock');
  const qemu = await startQemu({ dir, extraArgs: ['-qmp', `unix:${direct},server=on,wait=off`] });
  const upstream = await QmpClient.connect(parseTarget(qemu.target));
  const shared = join(dir, 'share.sock');
  const monitor = new SharedMonitor({ unixPath: shared });
  await monitor.listen();
  monitor.attach(upstream);
  const viaMux = await BareQmp.open(shared);
  const straight = await BareQmp.open(direct);
  try {
    await new Promise((resolve) => setTimeout(resolve, 500)); // the peer lookup settles
    await rate(viaMux, false);
    await rate(straight, false);
    const seq = { mux: [] as number[], direct: [] as number[] };
    const pipe = { mux: [] as number[], direct: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const runs: Array<() => Promise<void>> = [
        async () => void seq.mux.push(await rate(viaMux, false)),
        async () => void seq.direct.push(await rate(straight, false)),
        async () => void pipe.mux.push(await rate(viaMux, true)),
        async () => void pipe.direct.push(await rate(straight, true)),
      ];
      for (const index of round % 2 === 0 ? [0, 1, 2, 3] : [1, 0, 3, 2]) await runs[index]!();
    }
    return [
      result('share-rtt-sequential', median(seq.mux), median(seq.direct), 'commands/s'),
      result('share-rtt-pipelined', median(pipe.mux), median(pipe.direct), 'commands/s'),
    ];
  } finally {
    await Promise.all([viaMux.close(), straight.close()]);
    await monitor.close();
    await upstream.close();
    await qemu.kill();
    removeTempDir(dir);
  }
}

const FANOUT_CLIENTS = 10;
const EVENTS_PER_SECOND = 10_000;
const FANOUT_SECONDS = 10;

/** A fake QEMU that greets, negotiates, and then writes events at a fixed rate when told. */
function fakeUpstream(path: string): Promise<{ server: Server; start: () => Promise<number> }> {
  let peer: Socket | undefined;
  const server = createServer((socket) => {
    peer = socket;
    socket.write('{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "fake"}, "capabilities": ["oob"]}}\r\n');
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes('qmp_capabilities')) socket.write('{"return": {}, "id": 0}\r\n');
    });
    socket.on('error', () => undefined);
  });
  const start = (): Promise<number> =>
    new Promise((resolve) => {
      let sent = 0;
      const began = Date.now();
      const total = EVENTS_PER_SECOND * FANOUT_SECONDS;
      const tick = setInterval(() => {
        // Catch up to the schedule each tick, so timer jitter does not lower the rate.
        const due = Math.min(total, Math.floor(((Date.now() - began) * EVENTS_PER_SECOND) / 1000));
        let batch = '';
        for (; sent < due; sent++) {
          batch += `{"timestamp": {"seconds": ${Math.floor(Date.now() / 1000)}, "microseconds": ${sent % 1_000_000}}, "event": "BENCH_EVENT", "data": {"n": ${sent}}}\r\n`;
        }
        if (batch) peer?.write(batch);
        if (sent >= total) {
          clearInterval(tick);
          resolve(sent);
        }
      }, 5);
    });
  return new Promise((resolve) => server.listen(path, () => resolve({ server, start })));
}

async function fanout(): Promise<BenchResult> {
  const dir = makeTempDir('qmp-share-fanout-');
  const upstreamPath = join(dir, 'fake.sock');
  const fake = await fakeUpstream(upstreamPath);
  const upstream = await QmpClient.connect(parseTarget(`unix:${upstreamPath}`));
  const shared = join(dir, 'share.sock');
  const monitor = new SharedMonitor({ unixPath: shared });
  await monitor.listen();
  monitor.attach(upstream);
  const clients = await Promise.all(Array.from({ length: FANOUT_CLIENTS }, () => BareQmp.open(shared)));
  try {
    const sent = await fake.start();
    const expected = sent * FANOUT_CLIENTS;
    const received = (): number => clients.reduce((n, c) => n + c.received, 0);
    const deadline = Date.now() + 10_000;
    while (received() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return result('share-fanout-lost', received(), expected, 'events received / sent');
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await monitor.close();
    await upstream.close();
    await new Promise<void>((resolve) => fake.server.close(() => resolve()));
    removeTempDir(dir);
  }
}

/** Runs the three shared-endpoint benchmarks; starts and kills its own QEMU. */
export async function runShareBenchmarks(): Promise<BenchResult[]> {
  return [...(await roundTrips()), await fanout()];
}
