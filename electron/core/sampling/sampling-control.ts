/**
 * The samplers of every VM, run only while some window shows that VM's charts.
 *
 * A window asks with `watchSamples`, which grants a lease (10 s by default) it renews while the
 * charts are on screen; when no renewal comes (window hidden, closed, crashed, its socket
 * gone) the lease runs out and sampling stops by itself. A lease needs no per-window
 * bookkeeping in the transports and cannot leak the way a forgotten unsubscribe would; a short
 * hide (a tab switch) leaves the samples unbroken, a long one shows as a gap.
 */
import type { SamplesPage } from '../../common/samples';
import { DEFAULT_SAMPLE_INTERVAL_MS } from '../../common/samples';
import { VmSampler, type SampledVm } from './vm-sampler';

/** How long one watchSamples keeps sampling without a renewal. */
export const DEFAULT_SAMPLE_LEASE_MS = 10_000;

/** Looks the VM up by id (a VmSet). */
export interface SampledVms {
  find(id: string): SampledVm | undefined;
}

/** One sampler per watched VM. */
export class SamplingControl {
  private readonly samplers = new Map<string, VmSampler>();

  public constructor(
    private readonly vms: SampledVms,
    private readonly leaseMs = DEFAULT_SAMPLE_LEASE_MS,
  ) {}

  /** Starts or renews sampling `vmId`. @throws Error when there is no such VM. */
  public watch(vmId: string, intervalMs = DEFAULT_SAMPLE_INTERVAL_MS): { leaseMs: number; intervalMs: number } {
    this.sampler(vmId, true)!.watch(intervalMs, this.leaseMs);
    return { leaseMs: this.leaseMs, intervalMs };
  }

  /** The samples of `vmId` after `afterSeq` (an empty page when it was never watched). */
  public page(vmId: string, afterSeq: number): SamplesPage {
    const sampler = this.sampler(vmId, false);
    return sampler?.page(afterSeq) ?? { samples: [], lastSeq: 0, skipped: 0, intervalMs: DEFAULT_SAMPLE_INTERVAL_MS, sources: { pid: null, hostReason: null, balloonReason: null, memoryReason: null } };
  }

  /** Stops every sampler (the app quits). */
  public dispose(): void {
    for (const sampler of this.samplers.values()) sampler.dispose();
    this.samplers.clear();
  }

  /** The sampler of the VM now behind `vmId`; one of a removed (or replaced) VM is dropped. */
  private sampler(vmId: string, create: boolean): VmSampler | undefined {
    const vm = this.vms.find(vmId);
    const existing = this.samplers.get(vmId);
    if (existing && existing.vm !== vm) {
      existing.dispose();
      this.samplers.delete(vmId);
    }
    if (!vm) {
      if (create) throw new Error(`no VM with id '${vmId}'`);
      return undefined;
    }
    let sampler = this.samplers.get(vmId);
    if (!sampler && create) {
      sampler = new VmSampler(vm);
      this.samplers.set(vmId, sampler);
    }
    return sampler;
  }
}
