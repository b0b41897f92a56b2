/**
 * The shape of a shared QMP endpoint, as the app (B2) and the CLI proxy see it.
 *
 * Kept apart from the multiplexer so the app's VM sessions, contract and UI can be written
 * against it while the multiplexer itself changes; see issue 11 ("Share the monitor").
 */

/** One downstream QMP client connected through the shared endpoint. */
export interface ShareClientInfo {
  /** Unique per endpoint for its life ('c1', 'c2', ...), so the UI can key rows by it. */
  readonly id: string;
  /** How it connected: 'unix' or 'tcp 127.0.0.1:5555' (the peer's address and port). */
  readonly peer: string;
  /** The peer process, where the OS tells (Linux: /proc socket inodes); absent otherwise. */
  readonly pid?: number;
  /** The peer's process name (`/proc/PID/comm`, e.g. 'python3'), where the OS tells. */
  readonly processName?: string;
  /** When it connected, ms since the epoch. */
  readonly connectedAt: number;
  /** Commands it sent that were forwarded upstream (or answered locally after negotiation). */
  readonly commands: number;
}

/** One command a shared client ran, for the timeline ("qmp-shell (pid 4242): device_del → ok"). */
export interface SharedCommandNote {
  readonly client: ShareClientInfo;
  readonly command: string;
  readonly ok: boolean;
  /** QEMU's error class when `ok` is false ('GenericError', ...); 'Disconnected' when the upstream went away first. */
  readonly errorClass?: string;
  readonly durationMs: number;
  /** When the reply came (or the command failed), ms since the epoch. */
  readonly at: number;
}

/**
 * A client came or went through the shared endpoint, for the log and the timeline
 * ("qmp-shell (pid 4242) disconnected: too slow: 16.0 MiB unread").
 *
 * `connected` comes once the peer's process is looked up (so it can be named); everything
 * about a client, its commands and its going, comes after that, in order.
 */
export interface ShareClientNote {
  readonly change: 'connected' | 'disconnected';
  readonly client: ShareClientInfo;
  /** Why it went (disconnected only): 'it closed the connection', 'too slow: …', 'QEMU is gone: …'. */
  readonly reason?: string;
  /** When it happened, ms since the epoch. */
  readonly at: number;
}

/** Where and how a shared endpoint listens. At least one of `unixPath` and `tcp` is needed. */
export interface ShareEndpointOptions {
  /** Unix socket path; its file gets mode 0600 and its folder should be 0700. */
  readonly unixPath?: string;
  /** Loopback TCP only: QMP has no authentication, so nothing else may reach it. */
  readonly tcp?: { host: '127.0.0.1'; port: number };
  /** Receives one human line per client connect/disconnect (with the reason) and per refusal. */
  readonly log?: (line: string) => void;
  /** Bytes a client may have queued unread before it is disconnected (default 16 MiB). */
  readonly maxClientQueueBytes?: number;
}

/** What the endpoint listens on, as printed for users: a path and/or 'HOST:PORT'. */
export interface ShareEndpointAddress {
  readonly unixPath?: string;
  readonly tcp?: string;
}
