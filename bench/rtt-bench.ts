/**
 * Round-trip throughput of our QMP client against a bare `net.Socket` loop on the same QEMU.
 *
 * QEMU's monitor, not the client, bounds round trips, so the honest question is how much of
 * that limit the client keeps. Both sides talk to one real `-M none` QEMU in turn (a monitor
 * serves one client at a time), negotiate the same capabilities (oob), and are measured
 * alternately several times; medians damp scheduler noise on a 2-core machine.
 */
import { QmpClient } from '../electron/core/qmp/qmp-client';
import { parseTarget } from '../electron/core/qmp/target';
import { startQemu } from '../test/support/qemu';
import { BareQmp, median, QUERY } from './bare-qmp';
import { result } from './report';
import type { BenchResult } from './types';

const COMMANDS = 5_000;
const ROUNDS = 9;

async function timed(run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function oursSequential(target: string): Promise<number> {
  const client = await QmpClient.connect(parseTarget(target));
  const seconds = await timed(async () => {
    for (let i = 0; i < COMMANDS; i++) await client.execute('query-status');
  });
  await client.close();
  return COMMANDS / seconds;
}

async function oursPipelined(target: string): Promise<number> {
  const client = await QmpClient.connect(parseTarget(target));
  const seconds = await timed(async () => {
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < COMMANDS; i++) all.push(client.execute('query-status'));
    await Promise.all(all);
  });
  await client.close();
  return COMMANDS / seconds;
}

async function bareSequential(path: string): Promise<number> {
  const bare = await BareQmp.open(path);
  const seconds = await timed(() => bare.sequential(COMMANDS));
  await bare.close();
  return COMMANDS / seconds;
}

async function barePipelined(path: string): Promise<number> {
  const bare = await BareQmp.open(path);
  const seconds = await timed(() => bare.expect(COMMANDS, QUERY.repeat(COMMANDS)));
  await bare.close();
  return COMMANDS / seconds;
}

/**
 * Runs `rtt-sequential` and `rtt-pipelined` (commands/s, ours vs bare socket).
 *
 * Starts and always kills its own QEMU. A warm-up round per side lets V8 optimise both paths
 * before anything is recorded.
 */
export async function runRttBenchmarks(): Promise<BenchResult[]> {
  const qemu = await startQemu({ machine: 'none' });
  try {
    const path = qemu.socketPath!;
    await oursSequential(qemu.target);
    await bareSequential(path);
    const seq = { ours: [] as number[], bare: [] as number[] };
    const pipe = { ours: [] as number[], bare: [] as number[] };
    // Swap who goes first each round so a drift in machine load favours neither side.
    for (let round = 0; round < ROUNDS; round++) {
      const pairs: Array<() => Promise<void>> = [
        async () => void seq.ours.push(await oursSequential(qemu.target)),
        async () => void seq.bare.push(await bareSequential(path)),
        async () => void pipe.ours.push(await oursPipelined(qemu.target)),
        async () => void pipe.bare.push(await barePipelined(path)),
      ];
      const order = round % 2 === 0 ? [0, 1, 2, 3] : [1, 0, 3, 2];
      for (const index of order) await pairs[index]!();
    }
    return [
      result('rtt-sequential', median(seq.ours), median(seq.bare), 'commands/s'),
      result('rtt-pipelined', median(pipe.ours), median(pipe.bare), 'commands/s'),
    ];
  } finally {
    await qemu.kill();
  }
}
