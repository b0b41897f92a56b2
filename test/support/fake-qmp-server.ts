/**
 * A scriptable QMP peer on a unix socket, for what real QEMU cannot be made to do.
 *
 * Hostile and broken peers (garbage, floods, half messages, wrong greetings, foreign ids) are
 * played by this server; everything QEMU can do itself is tested against QEMU. By default it
 * greets like QEMU 7.2 and accepts `qmp_capabilities`; tests script the rest per command.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { makeTempDir } from './qemu';

/** A command as the client sent it. */
export interface ReceivedCommand {
  readonly execute: string;
  readonly id: unknown;
  readonly arguments?: Record<string, unknown>;
  readonly oob: boolean;
}

/** The greeting QEMU 7.2 sends, byte for byte. */
export const QEMU_GREETING =
  '{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian 1:7.2+dfsg-7+deb12u18+b3"}, "capabilities": ["oob"]}}\r\n';

/** One accepted client connection, with helpers to answer it. */
export class FakeConnection {
  /** Every command received, in order. */
  public readonly commands: ReceivedCommand[] = [];
  private readonly waiters: Array<{ name: string | undefined; resolve: (c: ReceivedCommand) => void }> = [];
  private seen = 0;
  private text = '';

  public constructor(
    public readonly socket: Socket,
    private readonly onCommand: (command: ReceivedCommand, connection: FakeConnection) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined);
  }

  /** Writes raw bytes and resolves once they are handed to the kernel. */
  public write(data: string | Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) resolve();
      else this.socket.write(data, () => resolve());
    });
  }

  /** Writes a JSON message followed by CRLF, as QEMU does. */
  public send(message: unknown): Promise<void> {
    return this.write(`${JSON.stringify(message)}\r\n`);
  }

  /** Answers a received command with `{"return": value}`. */
  public reply(command: ReceivedCommand, value: unknown = {}): Promise<void> {
    return this.send({ return: value, id: command.id });
  }

  /** Writes a QEMU-shaped event. */
  public event(name: string, data?: Record<string, unknown>): Promise<void> {
    return this.send({ timestamp: { seconds: 1_700_000_000, microseconds: 1 }, event: name, ...(data ? { data } : {}) });
  }

  /** Resolves with the next received command (optionally with this name) not yet waited for. */
  public nextCommand(name?: string): Promise<ReceivedCommand> {
    const found = this.commands.slice(this.seen).find((c) => name === undefined || c.execute === name);
    if (found) {
      this.seen = this.commands.indexOf(found) + 1;
      return Promise.resolve(found);
    }
    return new Promise((resolve) => this.waiters.push({ name, resolve }));
  }

  private receive(chunk: Buffer): void {
    this.text += chunk.toString('utf8');
    let newline: number;
    while ((newline = this.text.indexOf('\n')) >= 0) {
      const line = this.text.slice(0, newline);
      this.text = this.text.slice(newline + 1);
      if (line.trim() === '') continue;
      const raw = JSON.parse(line) as Record<string, unknown>;
      const oob = typeof raw['exec-oob'] === 'string';
      const command: ReceivedCommand = {
        execute: String(oob ? raw['exec-oob'] : raw['execute']),
        id: raw['id'],
        ...(raw['arguments'] ? { arguments: raw['arguments'] as Record<string, unknown> } : {}),
        oob,
      };
      this.commands.push(command);
      const waiter = this.waiters.findIndex((w) => w.name === undefined || w.name === command.execute);
      if (waiter >= 0) {
        this.seen = this.commands.length;
        this.waiters.splice(waiter, 1)[0]!.resolve(command);
      }
      this.onCommand(command, this);
    }
  }
}

/** How the fake behaves for each new connection. */
export interface FakeQmpOptions {
  /** Raw greeting bytes, or false to never greet (default: QEMU 7.2's greeting). */
  readonly greeting?: string | Buffer | false;
  /** Handles commands other than an accepted qmp_capabilities; default: no reply. */
  readonly onCommand?: (command: ReceivedCommand, connection: FakeConnection) => void;
  /** Answer qmp_capabilities automatically (default true); false leaves it to the test. */
  readonly negotiate?: boolean;
  /** Reply to qmp_capabilities with this error instead of success. */
  readonly refuseCapabilities?: { readonly class: string; readonly desc: string };
}

/** A running fake server. */
export interface FakeQmpServer {
  readonly path: string;
  /** `unix:PATH`. */
  readonly target: string;
  readonly connections: FakeConnection[];
  /** Resolves with the next connection that has been (or will be) accepted. */
  nextConnection(): Promise<FakeConnection>;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/** Starts a fake QMP server on a fresh socket path (or the given one, to simulate restarts). */
export async function startFakeQmpServer(options: FakeQmpOptions = {}, path = join(makeTempDir('fake-qmp-'), 'qmp.sock')): Promise<FakeQmpServer> {
  const connections: FakeConnection[] = [];
  const waiting: Array<(c: FakeConnection) => void> = [];
  let handed = 0;
  const server: Server = createServer((socket) => {
    const connection = new FakeConnection(socket, (command, conn) => {
      if (command.execute === 'qmp_capabilities' && options.negotiate !== false) {
        if (options.refuseCapabilities) void conn.send({ id: command.id, error: options.refuseCapabilities });
        else void conn.reply(command);
        return;
      }
      options.onCommand?.(command, conn);
    });
    connections.push(connection);
    if (options.greeting !== false) void connection.write(options.greeting ?? QEMU_GREETING);
    const waiter = waiting.shift();
    if (waiter) {
      handed++;
      waiter(connection);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    path,
    target: `unix:${path}`,
    connections,
    nextConnection: () => {
      const ready = connections[handed];
      if (ready) {
        handed++;
        return Promise.resolve(ready);
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.socket.destroy();
        server.close(() => resolve());
      }),
  };
}
