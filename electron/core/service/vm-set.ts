/**
 * The set of VM sessions, with the saved ones mirrored to the registry file.
 *
 * User-added VMs are saved; `--connect` and demo VMs are kept for this run only, so a one-off
 * command line never changes what the app shows next time. An add, edit or removal of a saved
 * VM is written first and applied only once the file is on disk: a failed save changes
 * nothing that is shown, so the list never promises what the next start will not restore.
 * Those changes run one at a time, so each save holds exactly the list it was made from.
 */
import { resolve } from 'node:path';
import type { VmConfig, VmSnapshot } from '../../common/models';
import type { SupervisorOptions } from '../qmp/supervisor';
import { parseTarget } from '../qmp/target';
import type { QmpEvent } from '../qmp/types';
import { type VmRegistry, newVmId, normaliseTarget } from '../vm/vm-registry';
import type { AppMarker } from '../vm/app-marker';
import { VmSession, type VmOrigin } from '../vm/vm-session';
import { monitorKeys, sameMonitor } from './monitor-identity';
import type { ShareControl } from './share-control';
import { WireBudget } from '../wire/wire-budget';

/** Options of {@link VmSet}. */
export interface VmSetOptions {
  readonly registry: VmRegistry;
  readonly supervisor?: SupervisorOptions;
  readonly onChange: (snapshot: VmSnapshot) => void;
  readonly onRemoved: (id: string) => void;
  readonly onEvent: (vmId: string, event: QmpEvent, receivedAt: number) => void;
  /** The app's own markers (connected, disconnected, reconnect, command) of every VM. */
  readonly onMarker?: (vmId: string, marker: AppMarker, at: number) => void;
  /** Shares each VM's monitor through its own endpoint (none: nothing is shared). */
  readonly share?: ShareControl;
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
  private changes: Promise<unknown> = Promise.resolve();
  /** One bound on the wire logs of all VMs together (see wire-budget.ts). */
  private readonly wireBudget = new WireBudget();

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

  /**
   * The VM that reaches the same QEMU monitor as `target`, however either is spelt.
   *
   * @param except a VM to leave out (the one being edited).
   */
  public async findSameMonitor(target: string, except?: string): Promise<VmSession | undefined> {
    const others = [...this.sessions.values()].filter((s) => s.id !== except);
    // Looked up together: one slow host name costs one lookup timeout, not one per VM.
    const [wanted, ...keys] = await Promise.all([target, ...others.map((s) => s.snapshot.config.target)].map(monitorKeys));
    return others.find((_, index) => sameMonitor(wanted!, keys[index]!));
  }

  /** True when some VM points at the unix socket `path`. */
  public hasSocket(path: string): boolean {
    const wanted = resolve(path);
    return [...this.sessions.values()].some((s) => {
      try {
        const target = parseTarget(s.snapshot.config.target);
        return target.kind === 'unix' && resolve(target.path) === wanted;
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
   * @throws Error when the target is invalid, reaches a monitor another VM already uses (QEMU
   *   serves one QMP client per monitor, so two sessions would starve each other), or the
   *   list could not be saved.
   */
  public add(vm: NewVm): Promise<VmSession> {
    return this.oneAtATime(async () => {
      // A late add (e.g. the demo finishing start-up during quit) must not start a new connection.
      if (this.disposed) throw new Error('the app is shutting down');
      const target = normaliseTarget(vm.target);
      await this.refuseSameMonitor(target);
      // No label means "show what QEMU calls it" (query-name, else the target): see displayName.
      const config: VmConfig = { id: vm.id ?? this.freshId(), label: vm.label?.trim() ?? '', target, autoConnect: vm.autoConnect };
      if (vm.origin === 'user') await this.save([...this.savedConfigs(), config]);
      if (this.disposed) throw new Error('the app is shutting down');
      const session = this.insert(config, vm.origin);
      if (vm.autoConnect) session.connect();
      return session;
    });
  }

  /** Edits a VM; a changed target reconnects it. Nothing changes when saving fails. */
  public update(id: string, patch: { label?: string | undefined; target?: string | undefined; autoConnect?: boolean | undefined }): Promise<VmSession> {
    return this.oneAtATime(async () => {
      const session = this.get(id);
      const old = session.snapshot.config;
      const target = patch.target !== undefined ? normaliseTarget(patch.target) : old.target;
      if (target !== old.target) await this.refuseSameMonitor(target, id);
      const label = patch.label !== undefined ? patch.label.trim() : old.label;
      const config: VmConfig = { ...old, label, target, autoConnect: patch.autoConnect ?? old.autoConnect };
      if (session.snapshot.origin === 'user') await this.save(this.savedConfigs().map((c) => (c.id === id ? config : c)));
      await session.updateConfig(config);
      return session;
    });
  }

  /**
   * Turns "Share this monitor" on or off; saved with the connection (for a user's VM), so it
   * holds next time. Resolves once the endpoint listens or is closed.
   */
  public setSharing(id: string, enabled: boolean): Promise<VmSession> {
    return this.oneAtATime(async () => {
      const session = this.get(id);
      const config: VmConfig = { ...session.snapshot.config, share: enabled };
      if (session.snapshot.origin === 'user') await this.save(this.savedConfigs().map((c) => (c.id === id ? config : c)));
      await session.updateConfig(config);
      await this.options.share?.setEnabled(id, enabled);
      return session;
    });
  }

  /** Removes a VM and closes its connection. Nothing changes when saving fails. */
  public remove(id: string): Promise<boolean> {
    return this.oneAtATime(async () => {
      const session = this.sessions.get(id);
      if (!session) return false;
      if (session.snapshot.origin === 'user') await this.save(this.savedConfigs().filter((c) => c.id !== id));
      this.sessions.delete(id);
      await session.dispose();
      await this.options.share?.release(id, 'the VM was removed');
      this.options.onRemoved(id);
      return true;
    });
  }

  /** Closes every connection (app quitting); saved configs stay as they are. */
  public async dispose(): Promise<void> {
    this.disposed = true;
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.dispose('the app quit')));
    await this.options.share?.dispose();
    await this.changes.catch(() => undefined);
    await this.options.registry.idle();
  }

  private insert(config: VmConfig, origin: VmOrigin): VmSession {
    const session = new VmSession({
      config,
      origin,
      ...(this.options.supervisor ? { supervisor: this.options.supervisor } : {}),
      onChange: this.options.onChange,
      onEvent: this.options.onEvent,
      wireBudget: this.wireBudget,
      ...(this.options.onMarker ? { onMarker: this.options.onMarker } : {}),
    });
    this.sessions.set(config.id, session);
    this.options.share?.bind(session);
    this.options.onChange(session.snapshot);
    return session;
  }

  private async refuseSameMonitor(target: string, except?: string): Promise<void> {
    const clash = await this.findSameMonitor(target, except);
    if (!clash) return;
    const { name, config } = clash.snapshot;
    const holder = name || config.label || config.target;
    const spelt = config.target === target ? '' : ` (as ${config.target}, the same monitor)`;
    throw new Error(`${target} is already added as '${holder}'${spelt}; QEMU serves one client per monitor`);
  }

  private oneAtATime<T>(change: () => Promise<T>): Promise<T> {
    const next = this.changes.then(change);
    this.changes = next.catch(() => undefined);
    return next;
  }

  private freshId(): string {
    let id = newVmId();
    while (this.sessions.has(id)) id = newVmId();
    return id;
  }

  private savedConfigs(): VmConfig[] {
    return [...this.sessions.values()].filter((s) => s.snapshot.origin === 'user').map((s) => s.snapshot.config);
  }

  private save(configs: readonly VmConfig[]): Promise<void> {
    return this.options.registry.save(configs);
  }
}
