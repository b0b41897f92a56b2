/**
 * A small hand-written stand-in for the `electron` module, for shell tests under plain Node.
 *
 * Electron's binary is not available here, so tests `vi.mock('electron', () => electronMock)`
 * and drive the shell through these objects: they record what the shell registered (IPC
 * handlers, session handlers, protocol handlers, windows) and let tests fire the events
 * Electron would. Only the members the shell uses exist; anything else is a TypeError, which
 * is what a test should see if the shell starts using something new.
 */
import { EventEmitter } from 'node:events';

type Listener = (...args: never[]) => unknown;

/** A WebFrameMain stand-in. */
export interface MockFrame {
  url: string;
  parent: MockFrame | null;
  processId: number;
  routingId: number;
}

const idCounter = globalThis as { __qmpMockWebContentsId?: number };

/** WebContents ids are unique per process, as in Electron, even across re-imported mocks. */
function nextWebContentsId(): number {
  idCounter.__qmpMockWebContentsId = (idCounter.__qmpMockWebContentsId ?? 0) + 1;
  return idCounter.__qmpMockWebContentsId;
}

/** WebContents stand-in: events, `send` recording, window-open handler capture. */
export class MockWebContents extends EventEmitter {
  readonly id = nextWebContentsId();
  readonly mainFrame: MockFrame;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  private destroyed = false;

  constructor(url = 'app://qmp-monitor/index.html') {
    super();
    this.mainFrame = { url, parent: null, processId: 1, routingId: this.id };
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  /** Simulates the renderer going away (fires `destroyed` like Electron). */
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
  /** Fires a cancellable event and reports whether a listener prevented it. */
  fireCancellable(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

/** BrowserWindow stand-in; every instance lands in `MockBrowserWindow.instances`. */
export class MockBrowserWindow extends EventEmitter {
  static instances: MockBrowserWindow[] = [];
  readonly webContents = new MockWebContents();
  loadedUrl: string | undefined;
  shown = false;
  maximized = false;
  minimized = false;
  focused = false;
  bounds: { x: number; y: number; width: number; height: number };

  constructor(readonly options: Record<string, unknown>) {
    super();
    this.bounds = {
      x: Number(options['x'] ?? 0),
      y: Number(options['y'] ?? 0),
      width: Number(options['width'] ?? 800),
      height: Number(options['height'] ?? 600),
    };
    MockBrowserWindow.instances.push(this);
  }
  /** Tests may hold page loads here (resolve or reject them to finish the load). */
  static loadGate: Promise<void> | undefined;
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    await MockBrowserWindow.loadGate;
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused = true;
  }
  maximize(): void {
    this.maximized = true;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isDestroyed(): boolean {
    return false;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
}

function createElectronMock() {
  return {
  app: Object.assign(new EventEmitter(), {
    isPackaged: false,
    name: 'QMP Monitor',
    paths: new Map<string, string>([['userData', '/tmp/qmp-monitor-mock-user-data']]),
    sandboxEnabled: false,
    lockData: undefined as unknown,
    lockGranted: true,
    quitCalls: 0,
    exitCodes: [] as number[],
    readyResolve: (() => undefined) as () => void,
    ready: Promise.resolve(),
    enableSandbox(): void {
      electronMock.app.sandboxEnabled = true;
    },
    setPath(name: string, value: string): void {
      electronMock.app.paths.set(name, value);
    },
    getPath(name: string): string {
      const value = electronMock.app.paths.get(name);
      if (value === undefined) throw new Error(`no path ${name}`);
      return value;
    },
    getVersion: () => '0.1.0',
    requestSingleInstanceLock(additionalData?: unknown): boolean {
      electronMock.app.lockData = additionalData;
      return electronMock.app.lockGranted;
    },
    whenReady: () => electronMock.app.ready,
    quit(): void {
      electronMock.app.quitCalls += 1;
    },
    exit(code = 0): void {
      electronMock.app.exitCodes.push(code);
    },
  }),
  ipcMain: {
    handlers: new Map<string, Listener>(),
    handle(channel: string, listener: Listener): void {
      if (electronMock.ipcMain.handlers.has(channel)) throw new Error(`second handler for '${channel}'`);
      electronMock.ipcMain.handlers.set(channel, listener);
    },
    removeHandler(channel: string): void {
      electronMock.ipcMain.handlers.delete(channel);
    },
  },
  ipcRenderer: Object.assign(new EventEmitter(), {
    invocations: [] as Array<{ channel: string; args: unknown[] }>,
    reply: (async () => ({ ok: true, result: null })) as (channel: string, ...args: unknown[]) => Promise<unknown>,
    invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      electronMock.ipcRenderer.invocations.push({ channel, args });
      return electronMock.ipcRenderer.reply(channel, ...args);
    },
  }),
  contextBridge: {
    exposed: new Map<string, unknown>(),
    exposeInMainWorld(key: string, api: unknown): void {
      electronMock.contextBridge.exposed.set(key, api);
    },
  },
  protocol: {
    privileged: [] as unknown[],
    handlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
    registerSchemesAsPrivileged(schemes: unknown[]): void {
      electronMock.protocol.privileged.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void {
      electronMock.protocol.handlers.set(scheme, handler);
    },
  },
  session: {
    defaultSession: {
      permissionRequestHandler: undefined as Listener | undefined,
      permissionCheckHandler: undefined as Listener | undefined,
      headersListener: undefined as Listener | undefined,
      setPermissionRequestHandler(handler: Listener): void {
        electronMock.session.defaultSession.permissionRequestHandler = handler;
      },
      setPermissionCheckHandler(handler: Listener): void {
        electronMock.session.defaultSession.permissionCheckHandler = handler;
      },
      webRequest: {
        onHeadersReceived(listener: Listener): void {
          electronMock.session.defaultSession.headersListener = listener;
        },
      },
    },
  },
  Menu: {
    applied: undefined as unknown,
    buildFromTemplate: (template: unknown) => ({ template }),
    setApplicationMenu(menu: unknown): void {
      electronMock.Menu.applied = menu;
    },
  },
  screen: {
    workAreas: [{ x: 0, y: 0, width: 1920, height: 1080 }],
    getAllDisplays: () => electronMock.screen.workAreas.map((workArea) => ({ workArea })),
    getPrimaryDisplay: () => ({ workArea: electronMock.screen.workAreas[0] }),
  },
  dialog: {
    errors: [] as Array<{ title: string; content: string }>,
    showErrorBox(title: string, content: string): void {
      electronMock.dialog.errors.push({ title, content });
    },
  },
  BrowserWindow: MockBrowserWindow,
  };
}

/** Shared through globalThis so `vi.resetModules()` + a re-imported mock still see one state. */
const holder = globalThis as { __qmpElectronMock?: ReturnType<typeof createElectronMock> };

/** The mock module; reset between tests with `resetElectronMock()`. */
export const electronMock = (holder.__qmpElectronMock ??= createElectronMock());

/** Clears everything the shell registered, so each test starts from a fresh "process". */
export function resetElectronMock(): void {
  const { app, ipcMain, ipcRenderer, contextBridge, protocol, session, Menu, dialog } = electronMock;
  app.removeAllListeners();
  app.paths = new Map([['userData', '/tmp/qmp-monitor-mock-user-data']]);
  Object.assign(app, { sandboxEnabled: false, lockData: undefined, lockGranted: true, quitCalls: 0, exitCodes: [] });
  app.ready = Promise.resolve();
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invocations = [];
  contextBridge.exposed.clear();
  protocol.privileged = [];
  protocol.handlers.clear();
  Object.assign(session.defaultSession, { permissionRequestHandler: undefined, permissionCheckHandler: undefined, headersListener: undefined });
  Menu.applied = undefined;
  dialog.errors = [];
  electronMock.BrowserWindow.instances = [];
  electronMock.BrowserWindow.loadGate = undefined;
}
