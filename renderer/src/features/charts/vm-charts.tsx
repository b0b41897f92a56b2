/**
 * The "Live charts" card of a VM: block I/O per device, QEMU's host CPU and memory, per-vCPU
 * CPU, guest memory and balloon, sampled by the core while the card is shown.
 *
 * Hiding the card (its button, another tab, a minimised window) stops the sampling; see
 * use-samples.ts for why that leaves neither a false gap nor a spike. Host figures of a QEMU
 * that is not provably on this host say why they are unavailable instead of showing numbers.
 */
import type { VmSnapshot } from '../../../../electron/common/models';
import type { Sample, SampleSources } from '../../../../electron/common/samples';
import { DEFAULT_SAMPLE_INTERVAL_MS } from '../../../../electron/common/samples';
import { Unavailable } from '../../ui/labelled-values';
import { storedBoolean, storedNumber, useStoredSetting } from '../../ui/use-stored-setting';
import { chartColor, LineChart, type ChartSeries, type ChartValue } from './line-chart';
import { formatByteRate, formatOpsRate, formatPercent, formatShortByteRate, formatShortSize, formatSize, orDash } from './chart-format';
import { useSamples } from './use-samples';
import styles from './vm-charts.module.css';
import { groupedNumber } from '../../lib/format';

/** Sampling periods offered, seconds. */
const INTERVALS_S = [0.5, 1, 2, 5, 10] as const;

function parseInterval(stored: string): number | undefined {
  const value = storedNumber(stored);
  return value !== undefined && (INTERVALS_S as readonly number[]).includes(value) ? value : undefined;
}

/** The card for `vm`. */
export function VmCharts({ vm }: { readonly vm: VmSnapshot }) {
  const [seconds, setSeconds] = useStoredSetting<number>('charts-interval-s', parseInterval, DEFAULT_SAMPLE_INTERVAL_MS / 1000);
  const [shown, setShown] = useStoredSetting<boolean>('charts-shown', storedBoolean, true);
  const { samples, sources, skipped, error } = useSamples(vm.config.id, shown, seconds * 1000);
  return (
    <section aria-labelledby="charts-title" className={styles.section}>
      <div className={styles.header}>
        <h3 id="charts-title">Live charts</h3>
        <label className={styles.interval}>
          Sample
          <select value={seconds} onChange={(event) => setSeconds(Number(event.target.value))}>
            {INTERVALS_S.map((s) => (
              <option key={s} value={s}>
                every {s} s
              </option>
            ))}
          </select>
        </label>
        <button type="button" aria-expanded={shown} aria-controls="charts-body" onClick={() => setShown(!shown)}>
          {shown ? 'Hide charts' : 'Show charts'}
        </button>
      </div>
      {shown && (
        <div id="charts-body">
          <p className={styles.note}>
            The last 10 minutes, sampled every {seconds} s while shown
            {skipped > 0 ? `; ${groupedNumber(skipped)} samples skipped while QEMU was still answering the previous one` : ''}.
            {error ? ` Could not read samples: ${error}.` : ''}
          </p>
          <ChartGrid samples={samples} sources={sources} />
        </div>
      )}
    </section>
  );
}

function ChartGrid({ samples, sources }: { readonly samples: readonly Sample[]; readonly sources: SampleSources | undefined }) {
  const times = samples.map((s) => s.at);
  const latest = [...samples].reverse().find((s) => s.gap === undefined);
  const devices = [...new Set(samples.flatMap((s) => s.blocks.map((b) => b.device)))];
  if (samples.length === 0) return <p className={styles.note}>Waiting for the first sample…</p>;
  return (
    <div className={styles.grid}>
      <section className={styles.group} aria-label="Block I/O">
        <h4>Block I/O</h4>
        <div className={styles.stack}>
          {devices.length === 0 && <p className={styles.note}>{latest ? 'No block devices.' : 'No sample yet since the last gap.'}</p>}
          {devices.map((device) => (
            <BlockCharts key={device} device={device} samples={samples} times={times} />
          ))}
        </div>
      </section>
      <section className={styles.group} aria-label="Host CPU and memory">
        <h4>Host CPU and memory</h4>
        <HostCharts samples={samples} times={times} sources={sources} latest={latest} />
      </section>
    </div>
  );
}

function BlockCharts({ device, samples, times }: { readonly device: string; readonly samples: readonly Sample[]; readonly times: readonly number[] }) {
  const of = (s: Sample) => s.blocks.find((b) => b.device === device);
  const series = (label: string, index: number, pick: (b: NonNullable<ReturnType<typeof of>>) => number | null): ChartSeries => ({
    label,
    color: chartColor(index),
    values: samples.map((s) => {
      const block = of(s);
      return block ? pick(block) : null;
    }),
  });
  const last = [...samples].reverse().map(of).find((b) => b !== undefined);
  const bytes: ChartValue[] = [
    { term: 'Read', value: orDash(last?.readBytesPerSec, formatByteRate), color: 1 },
    { term: 'Write', value: orDash(last?.writeBytesPerSec, formatByteRate), color: 2 },
    { term: 'Read total', value: orDash(last?.readBytes, formatSize) },
    { term: 'Written total', value: orDash(last?.writeBytes, formatSize) },
  ];
  const ops: ChartValue[] = [
    { term: 'Reads', value: orDash(last?.readOpsPerSec, formatOpsRate), color: 1 },
    { term: 'Writes', value: orDash(last?.writeOpsPerSec, formatOpsRate), color: 2 },
    { term: 'Read ops total', value: orDash(last?.readOps, (n) => groupedNumber(n)) },
    { term: 'Write ops total', value: orDash(last?.writeOps, (n) => groupedNumber(n)) },
  ];
  return (
    <>
      <LineChart
        title={`Block I/O of ${device}, bytes per second`}
        times={times}
        series={[series('Read', 0, (b) => b.readBytesPerSec), series('Write', 1, (b) => b.writeBytesPerSec)]}
        format={formatShortByteRate}
        minTop={1024}
        values={bytes}
      />
      <LineChart
        title={`Block I/O of ${device}, operations per second`}
        times={times}
        series={[series('Reads', 0, (b) => b.readOpsPerSec), series('Writes', 1, (b) => b.writeOpsPerSec)]}
        format={formatOpsRate}
        values={ops}
      />
    </>
  );
}

function HostCharts({ samples, times, sources, latest }: { readonly samples: readonly Sample[]; readonly times: readonly number[]; readonly sources: SampleSources | undefined; readonly latest: Sample | undefined }) {
  const hostReason = sources?.hostReason ?? null;
  const vcpus = [...new Set(samples.flatMap((s) => s.vcpuPercent.map((v) => v.index)))].sort((a, b) => a - b);
  const memorySeries: ChartSeries[] = [];
  const memoryValues: ChartValue[] = [];
  const addMemory = (label: string, pick: (s: Sample) => number | null, latestValue: number | null | undefined) => {
    const color = chartColor(memorySeries.length + 4);
    memorySeries.push({ label, color, values: samples.map(pick) });
    memoryValues.push({ term: label, value: orDash(latestValue, formatSize), color });
  };
  if (hostReason === null) addMemory('QEMU resident (RSS)', (s) => s.rssBytes, latest?.rssBytes);
  if (sources?.memoryReason == null) addMemory('Guest memory', (s) => s.guestMemoryBytes, latest?.guestMemoryBytes);
  if (sources?.balloonReason == null) addMemory('Balloon', (s) => s.balloonBytes, latest?.balloonBytes);
  return (
    <div className={styles.stack}>
      {hostReason !== null ? (
        <p className={styles.note}>
          QEMU process CPU, memory and vCPU threads: <Unavailable reason={hostReason} />
        </p>
      ) : (
        <>
          <LineChart
            title={`QEMU process CPU${sources?.pid != null ? ` (PID ${sources.pid})` : ''}, percent of one core`}
            times={times}
            series={[{ label: 'QEMU process', color: 3, values: samples.map((s) => s.cpuPercent) }]}
            format={formatPercent}
            values={[{ term: 'QEMU process', value: orDash(latest?.cpuPercent, formatPercent), color: 3 }]}
          />
          {vcpus.length > 0 && (
            <LineChart
              title="vCPU threads, host CPU percent of one core"
              times={times}
              series={vcpus.map((index, n) => ({ label: `vCPU ${index}`, color: chartColor(n), values: samples.map((s) => s.vcpuPercent.find((v) => v.index === index)?.percent ?? null) }))}
              format={formatPercent}
              values={vcpus.map((index, n) => ({ term: `vCPU ${index}`, value: orDash(latest?.vcpuPercent.find((v) => v.index === index)?.percent, formatPercent), color: chartColor(n) }))}
            />
          )}
        </>
      )}
      {memorySeries.length > 0 && <LineChart title="Memory, bytes" times={times} series={memorySeries} format={formatShortSize} minTop={1024 * 1024} values={memoryValues} />}
      {sources?.memoryReason != null && (
        <p className={styles.note}>
          Guest memory: <Unavailable reason={sources.memoryReason} />
        </p>
      )}
      {sources?.balloonReason != null && (
        <p className={styles.note}>
          Balloon: <Unavailable reason={sources.balloonReason} />
        </p>
      )}
    </div>
  );
}
