/**
 * Ties the demo QEMU process to its entry in the VM list.
 *
 * The demo VM is listed with the fixed id `demo` and origin `demo`, and is never saved: each
 * run starts its own QEMU, so a saved entry would point at a socket nobody serves.
 */
import type { DemoState } from '../../common/models';
import { formatTarget } from '../qmp/target';
import { DemoVm } from '../vm/demo-vm';
import type { VmSet } from './vm-set';

/** The demo VM's id in the VM list. */
export const DEMO_VM_ID = 'demo';

/** Starts and stops the demo and keeps its VM entry in step. */
export class DemoController {
  private readonly demo: DemoVm;
  private starting: Promise<DemoState> | undefined;
  /** The last exit's disconnect of the VM entry; a restart waits for it so it cannot undo the new connection. */
  private exitHandled: Promise<void> = Promise.resolve();

  public constructor(
    private readonly vms: VmSet,
    options: { dataDir: string; binary?: string | null; onChange: (state: DemoState) => void },
  ) {
    this.demo = new DemoVm({
      dataDir: options.dataDir,
      ...(options.binary !== undefined ? { binary: options.binary } : {}),
      onChange: (state) => {
        options.onChange(state);
        if (state.status === 'exited') this.exitHandled = this.onExited(state).catch(() => undefined);
      },
    });
  }

  /** The demo's state. */
  public get state(): DemoState {
    return this.demo.state;
  }

  /** Starts QEMU (once) and adds and connects its VM entry. */
  public start(): Promise<DemoState> {
    this.starting ??= this.startOnce().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Stops QEMU and removes its VM entry. */
  public async stop(): Promise<DemoState> {
    const state = await this.demo.stop();
    await this.vms.remove(DEMO_VM_ID);
    return state;
  }

  private async startOnce(): Promise<DemoState> {
    const state = await this.demo.start();
    if (state.status !== 'running') return state;
    await this.exitHandled;
    const target = formatTarget({ kind: 'unix', path: this.demo.socketPath });
    const existing = this.vms.find(DEMO_VM_ID);
    if (existing) {
      existing.connect();
    } else {
      await this.vms.add({ id: DEMO_VM_ID, target, label: 'Demo VM (qmp-monitor-demo)', autoConnect: true, origin: 'demo' });
    }
    this.demo.attachVmId(DEMO_VM_ID);
    return this.demo.state;
  }

  /**
   * QEMU is gone, and so is its socket for good: stop retrying and show why on the VM entry too.
   * A restart reconnects the same entry.
   */
  private async onExited(state: DemoState): Promise<void> {
    const session = this.vms.find(DEMO_VM_ID);
    if (session?.active) await session.disconnect(`demo VM ${state.reason ?? 'exited'}`);
  }
}
