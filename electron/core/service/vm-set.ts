/**
 * The set of VM sessions, with the saved ones mirrored to the registry file.
 *
 * User-added VMs are saved; `--connect` and demo VMs are kept for this run only, so a one-off
 * command line never changes what the app shows next time.
 */
import type { VmConfig, VmSnapshot } from '../../common/models';
import type { SupervisorOptions } from '../qmp/supervisor';
import { parseTarget } from '../qmp/target';
import type { QmpEvent } from '../qmp/types';
import { type VmRegistry, newVmId, normaliseTarget } from '../vm/vm-registry';
import { VmSession, type VmOrigin } from '../vm/vm-session';

/** Options of {@link VmSet}. */
export interface VmSetOptions {
  readonly registry: VmRegistry;
  readonly supervisor?: SupervisorOptions;
  readonly onChange: (snapshot: VmSnapshot) => void;
  readonly onRemoved: (id: string) => void;
  readonly onEvent: (vmId: string, event: QmpEvent, receivedAt: number) => void;
}

/** What a new VM needs. */
export interface NewVm {
  readonly target: string;
  readonly label?: string | undefined;
  readonly autoConnect: boolean;
  readonly origin: VmOrigin;
  /** Fixed id (the demo VM); random otherwise. */
  readonly id?: string;
}

/** All VM sessions of one running app. */
export class VmSet {
  private readonly sessions = new Map<string, VmSession>();
  private disposed = false;

  public constructor(private readonly options: VmSetOptions) {}

  /** Snapshots of every VM, in insertion order. */
  public snapshots(): VmSnapshot[] {
    return [...this.sessions.values()].map((s) => s.snapshot);
  }

  /** The session for `id`. @throws Error when there is none. */
  public get(id: string): VmSession {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`no VM with id '${id}'`);
    return session;
  }

  /** The session for `id`, if any. */
  public find(id: string): VmSession | undefined {
    return this.sessions.get(id);
  }

  /** The VM whose target equals `target` once normalised. */
  public findByTarget(target: string): VmSession | undefined {
    return [...this.sessions.values()].find((s) => s.snapshot.config.target === target);
  }

  /** True when some VM points at the unix socket `path`. */
  public hasSocket(path: string): boolean {
    return [...this.sessions.values()].some((s) => {
      try {
        const target = parseTarget(s.snapshot.config.target);
        return target.kind === 'unix' && target.path === path;
      } catch {
        return false;
      }
    });
  }

  /** Restores saved configs (without connecting). */
  public restore(configs: readonly VmConfig[]): void {
    for (const config of configs) this.insert(config, 'user');
  }

  /**
   * Adds a VM; connects it when `autoConnect`.
   *
   * @throws Error when the target is invalid or already used by another VM (QEMU serves one
   *   QMP client per monitor, so two sessions on one socket would starve each other).
   */
  public async add(vm: NewVm): Promise<VmSession> {
    // A late add (e.g. the demo finishing start-up during quit) must not start a new connection.
    if (this.disposed) throw new Error('the app is shutting down');
    const target = normaliseTarget(vm.target);
    const clash = this.findByTarget(target);
    if (clash) throw new Error(`${target} is already added as '${clash.snapshot.config.label}'`);
    const label = vm.label?.trim() || target.replace(/^unix:/, '');
    const session = this.insert({ id: vm.id ?? this.freshId(), label, target, autoConnect: vm.autoConnect }, vm.origin);
    if (vm.origin === 'user') {
      try {
        await this.persist();
      } catch (error) {
        // Not saved means not added: the user retries instead of losing it at the next start.
        this.sessions.delete(session.id);
        await session.dispose();
        this.options.onRemoved(session.id);
        throw new Error(`could not save the connection list: ${(error as Error).message}`);
      }
    }
    if (vm.autoConnect) session.connect();
    return session;
  }

  /** Edits a VM; a changed target reconnects it. */
  public async update(id: string, patch: { label?: string | undefined; target?: string | undefined; autoConnect?: boolean | undefined }): Promise<VmSession> {
    const session = this.get(id);
    const old = session.snapshot.config;
    const target = patch.target !== undefined ? normaliseTarget(patch.target) : old.target;
    if (target !== old.target) {
      const clash = this.findByTarget(target);
      if (clash) throw new Error(`${target} is already added as '${clash.snapshot.config.label}'`);
    }
    const label = patch.label !== undefined ? patch.label.trim() || target.replace(/^unix:/, '') : old.label;
    await session.updateConfig({ ...old, label, target, autoConnect: patch.autoConnect ?? old.autoConnect });
    if (session.snapshot.origin === 'user') await this.persist();
    return session;
  }

  /** Removes a VM and closes its connection. */
  public async remove(id: string): Promise<boolean> {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.sessions.delete(id);
    await session.dispose();
    this.options.onRemoved(id);
    if (session.snapshot.origin === 'user') await this.persist();
    return true;
  }

  /** Closes every connection (app quitting); saved configs stay as they are. */
  public async dispose(): Promise<void> {
    this.disposed = true;
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.dispose()));
    await this.options.registry.idle();
  }

  private insert(config: VmConfig, origin: VmOrigin): VmSession {
    const session = new VmSession({
      config,
      origin,
      ...(this.options.supervisor ? { supervisor: this.options.supervisor } : {}),
      onChange: this.options.onChange,
      onEvent: this.options.onEvent,
    });
    this.sessions.set(config.id, session);
    this.options.onChange(session.snapshot);
    return session;
  }

  private freshId(): string {
    let id = newVmId();
    while (this.sessions.has(id)) id = newVmId();
    return id;
  }

  private persist(): Promise<void> {
    const saved = [...this.sessions.values()].filter((s) => s.snapshot.origin === 'user').map((s) => s.snapshot.config);
    return this.options.registry.save(saved);
  }
}
