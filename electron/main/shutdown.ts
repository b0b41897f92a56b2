/**
 * Quits only after the service is disposed, exactly once.
 *
 * Disposing stops the demo VM and closes every QMP socket; skipping it would leave a QEMU
 * process behind. Electron's `before-quit` cannot wait for a promise, so the first quit is
 * cancelled, the service is disposed (bounded by a timeout so a stuck VM cannot keep the app
 * alive), and then the quit is repeated.
 */

/** A cancellable Electron event. */
export interface QuitEvent {
  preventDefault(): void;
}

/** Collaborators of the shutdown sequence. */
export interface ShutdownOptions {
  /** Disposes the service; may be absent when start-up failed before it existed. */
  readonly dispose: () => Promise<void> | undefined;
  /** `app.quit`. */
  readonly quit: () => void;
  readonly log: (message: string) => void;
  readonly timeoutMs: number;
}

/** Handlers for `before-quit` and `window-all-closed`. */
export interface ShutdownHandlers {
  onBeforeQuit(event: QuitEvent): void;
  onWindowAllClosed(): void;
  /** Resolves when disposal finished (or timed out). */
  readonly done: Promise<void>;
}

/** Builds the shutdown sequence. */
export function createShutdown(options: ShutdownOptions): ShutdownHandlers {
  let state: 'running' | 'disposing' | 'disposed' = 'running';
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));

  const begin = (): void => {
    if (state !== 'running') return;
    state = 'disposing';
    void disposeWithin(options).then(() => {
      state = 'disposed';
      finish();
      options.quit();
    });
  };

  return {
    onBeforeQuit(event) {
      if (state === 'disposed') return;
      event.preventDefault();
      begin();
    },
    onWindowAllClosed: begin,
    done,
  };
}

async function disposeWithin(options: ShutdownOptions): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutMs)));
  try {
    const outcome = await Promise.race([Promise.resolve(options.dispose()).then(() => 'ok' as const), timeout]);
    if (outcome === 'timeout') options.log(`service did not stop within ${options.timeoutMs} ms; quitting anyway`);
  } catch (error) {
    options.log(`service failed to stop: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
