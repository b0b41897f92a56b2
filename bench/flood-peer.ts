/**
 * A fake QMP peer that floods events at a set rate, for the timeline benchmarks.
 *
 * Real QEMU cannot be made to emit 10,000 events a second on demand, so the flood comes from
 * here: it greets like QEMU 7.2, answers `qmp_capabilities`, `query-status` and `query-name`,
 * refuses every other command as QEMU refuses an unknown one, and then writes QEMU-shaped
 * events in big chunks, paced by the clock (each tick writes what the rate owes so far, so a
 * late timer catches up instead of slowing the flood). None of its events changes the run
 * state, so the flood costs the core no `query-status` round trips of its own.
 */
import { createServer, type Server, type Socket } from 'node:net';

/** The greeting QEMU 7.2 sends. */
const GREETING = '{"QMP": {"version": {"qemu": {"micro": 2, "minor": 2, "major": 7}, "package": ""}, "capabilities": ["oob"]}}\r\n';

/** How often the pacing timer writes what the rate owes, ms. */
const TICK_MS = 20;

/** Every `NEEDLE_EVERY`-th event is a `DEVICE_DELETED` of `vblk-needle`, the filters' target. */
export const NEEDLE_EVERY = 1000;
/** The text the free-text filter looks for (only the needles hold it). */
export const NEEDLE_TEXT = 'vblk-needle';
/** The event name the name filter picks (only the needles have it). */
export const NEEDLE_EVENT = 'DEVICE_DELETED';

/** The QMP line of the `index`-th event of a flood, stamped `nowMs`. */
export function floodEventLine(index: number, nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000);
  const microseconds = Math.floor((nowMs % 1000) * 1000);
  const head = `{"timestamp": {"seconds": ${seconds}, "microseconds": ${microseconds}}, "event": `;
  if (index % NEEDLE_EVERY === NEEDLE_EVERY - 1) return `${head}"${NEEDLE_EVENT}", "data": {"device": "${NEEDLE_TEXT}", "path": "/machine/peripheral/${NEEDLE_TEXT}"}}\r\n`;
  const pick = index % 10;
  if (pick < 4) return `${head}"JOB_STATUS_CHANGE", "data": {"status": "running", "id": "job${index % 97}"}}\r\n`;
  if (pick < 7) return `${head}"BLOCK_JOB_COMPLETED", "data": {"device": "drive${index % 13}", "len": 18446744073709551615, "offset": ${index}, "speed": 0, "type": "backup"}}\r\n`;
  if (pick < 9) return `${head}"RTC_CHANGE", "data": {"offset": ${index % 3600}}}\r\n`;
  return `${head}"BALLOON_CHANGE", "data": {"actual": 1073741824}}\r\n`;
}

/** How many needles a flood of `count` events holds. */
export function needlesIn(count: number): number {
  return Math.floor(count / NEEDLE_EVERY);
}

/** One fake QEMU on a unix socket; see the module comment. */
export class FloodPeer {
  private readonly server: Server;
  private client: Socket | undefined;
  private readyWaiters: Array<() => void> = [];
  private ready = false;
  private text = '';

  private constructor(
    public readonly socketPath: string,
    private readonly name: string,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Listens on `socketPath`; the QMP name it reports is `name`. */
  public static async start(socketPath: string, name: string): Promise<FloodPeer> {
    const peer = new FloodPeer(socketPath, name);
    await new Promise<void>((resolve, reject) => {
      peer.server.once('error', reject);
      peer.server.listen(socketPath, () => resolve());
    });
    return peer;
  }

  /** Resolves once a client has sent `qmp_capabilities` (command mode). */
  public whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Writes `count` events at `perSecond`: `generated` resolves when the last event is written
   * (handed to Node, as QEMU hands it to its monitor), `drained` once the kernel took it all.
   *
   * Writes are not held back when the client reads slowly (Node queues them), as QEMU's own
   * monitor queues events for a slow client; the bench measures whether the app keeps up.
   */
  public flood(count: number, perSecond: number): { generated: Promise<void>; drained: Promise<void> } {
    const socket = this.client;
    if (!socket) {
      const failed = Promise.reject(new Error(`${this.name}: no client connected`));
      return { generated: failed, drained: failed };
    }
    let generatedNow = (): void => undefined;
    const generated = new Promise<void>((resolve) => (generatedNow = resolve));
    const drained = new Promise<void>((resolve, reject) => {
      const began = performance.now();
      let sent = 0;
      const tick = (): void => {
        const owed = Math.min(count, Math.floor(((performance.now() - began) * perSecond) / 1000));
        if (owed <= sent) return;
        const now = Date.now();
        const lines: string[] = [];
        for (; sent < owed; sent++) lines.push(floodEventLine(sent, now));
        const last = sent === count;
        socket.write(lines.join(''), last ? (error) => (error ? reject(error) : resolve()) : undefined);
        if (last) {
          clearInterval(timer);
          generatedNow();
        }
      };
      const timer = setInterval(tick, TICK_MS);
    });
    return { generated, drained };
  }

  /** Closes the client connection and the listening socket. */
  public async close(): Promise<void> {
    this.client?.destroy();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.client?.destroy();
    this.client = socket;
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(socket, chunk));
    socket.write(GREETING);
  }

  private receive(socket: Socket, chunk: string): void {
    this.text += chunk;
    let newline: number;
    while ((newline = this.text.indexOf('\n')) >= 0) {
      const line = this.text.slice(0, newline).trim();
      this.text = this.text.slice(newline + 1);
      if (line !== '') this.answer(socket, line);
    }
  }

  private answer(socket: Socket, line: string): void {
    let command: { execute?: unknown; 'exec-oob'?: unknown; id?: unknown };
    try {
      command = JSON.parse(line) as typeof command;
    } catch {
      socket.write('{"error": {"class": "GenericError", "desc": "JSON parse error"}}\r\n');
      return;
    }
    const name = command.execute ?? command['exec-oob'];
    const id = command.id === undefined ? '' : `, "id": ${JSON.stringify(command.id)}`;
    if (name === 'qmp_capabilities') {
      socket.write(`{"return": {}${id}}\r\n`);
      this.ready = true;
      for (const waiter of this.readyWaiters.splice(0)) waiter();
    } else if (name === 'query-status') socket.write(`{"return": {"status": "running", "singlestep": false, "running": true}${id}}\r\n`);
    else if (name === 'query-name') socket.write(`{"return": {"name": ${JSON.stringify(this.name)}}${id}}\r\n`);
    else socket.write(`{"error": {"class": "CommandNotFound", "desc": "The command ${String(name)} has not been found"}${id}}\r\n`);
  }
}
