/**
 * Decides whether an IPC message comes from our own window's top frame.
 *
 * Item 17 of Electron's security checklist: a compromised or navigated frame must not reach
 * the service. A sender is trusted only if all hold: its WebContents was registered when our
 * window was created (and not destroyed since), the message comes from the top frame, and that
 * frame currently shows our app origin. Structural types keep this testable without Electron.
 */
import { isAppUrl } from './app-origin';

/** The parts of Electron's WebFrameMain the guard reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
}

/** The parts of Electron's WebContents the guard and the push forwarder use. */
export interface WebContentsLike {
  readonly id: number;
  readonly mainFrame: FrameLike;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** The parts of an `ipcMain.handle` event the guard reads. */
export interface InvokeEventLike {
  readonly sender: WebContentsLike;
  readonly senderFrame: FrameLike | null;
}

/** Result of a sender check; `reason` goes to the log, never to the sender. */
export type SenderVerdict = { readonly trusted: true } | { readonly trusted: false; readonly reason: string };

/**
 * The set of WebContents our windows own, keyed by id.
 *
 * Ids are added when the window is created and dropped on `destroyed`, so a recycled id can
 * never inherit trust.
 */
export class TrustedSenders {
  private readonly byId = new Map<number, WebContentsLike>();

  /** Trusts `contents` until it is destroyed. */
  add(contents: WebContentsLike): void {
    this.byId.set(contents.id, contents);
    contents.once('destroyed', () => {
      if (this.byId.get(contents.id) === contents) this.byId.delete(contents.id);
    });
  }

  /** True when this exact WebContents is registered and alive. */
  has(contents: WebContentsLike): boolean {
    return this.byId.get(contents.id) === contents && !contents.isDestroyed();
  }

  /** Live trusted WebContents (for pushes). */
  *live(): IterableIterator<WebContentsLike> {
    for (const contents of this.byId.values()) if (!contents.isDestroyed()) yield contents;
  }
}

/** Checks one IPC event against the trusted set and the app's entry URL. */
export function checkSender(event: InvokeEventLike, trusted: TrustedSenders, entryUrl: string): SenderVerdict {
  const { sender, senderFrame } = event;
  if (!trusted.has(sender)) return { trusted: false, reason: `unknown webContents ${String(sender.id)}` };
  if (senderFrame === null) return { trusted: false, reason: 'sender frame is gone' };
  const top = sender.mainFrame;
  const isTopFrame =
    senderFrame.parent === null && senderFrame.processId === top.processId && senderFrame.routingId === top.routingId;
  if (!isTopFrame) return { trusted: false, reason: 'message from a subframe' };
  if (!isAppUrl(senderFrame.url, entryUrl)) {
    return { trusted: false, reason: `foreign origin ${JSON.stringify(senderFrame.url.slice(0, 200))}` };
  }
  return { trusted: true };
}
