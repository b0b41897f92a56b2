/**
 * The VM's screen on the status page: a thumbnail from `screendump`, refreshed while shown
 * (every 5 s by default; the interval is a setting of this window), enlarged in a dialog on
 * click. Where there is no picture (no display device, remote QEMU, not connected) a note says
 * why instead of a broken image. The picture is a `data:` URL, which the CSP's
 * `img-src 'self' data:` allows; nothing from QMP is ever HTML.
 */
import { useState } from 'react';
import type { VmSnapshot } from '../../../../electron/common/models';
import type { Screenshot } from '../../../../electron/common/vm-details-shapes';
import { displayName } from '../../state/monitor-state';
import { Dialog } from '../../ui/dialog';
import { useStoredSetting } from '../../ui/use-stored-setting';
import { useScreenPoll } from './use-screen-poll';
import styles from './screen.module.css';

/** Refresh intervals offered, in seconds (0: only on request). */
export const SCREEN_INTERVALS_S = [2, 5, 10, 30, 0] as const;
/** The interval of a fresh window. */
export const DEFAULT_SCREEN_INTERVAL_S = 5;

const parseInterval = (stored: string) => SCREEN_INTERVALS_S.find((s) => String(s) === stored);

/** The image's accessible name: whose screen, and how big. */
export function screenAlt(name: string, shot: Extract<Screenshot, { available: true }>): string {
  return `Screen of ${name}, ${shot.width}×${shot.height}`;
}

/** The "Screen" card of one VM. */
export function ScreenThumbnail({ vm }: { readonly vm: VmSnapshot }) {
  const [seconds, setSeconds] = useStoredSetting<number>('screen-refresh-s', parseInterval, DEFAULT_SCREEN_INTERVAL_S);
  const connected = vm.connection.phase === 'ready';
  const { shot, loading, refresh } = useScreenPoll(vm.config.id, connected, seconds * 1000);
  const [enlarged, setEnlarged] = useState(false);
  const name = displayName(vm);
  const picture = connected && shot?.available ? shot : undefined;
  return (
    <section aria-labelledby="screen-title" className={styles.section}>
      <div className={styles.header}>
        <h3 id="screen-title">Screen</h3>
        <label className={styles.interval}>
          Refresh
          <select value={seconds} onChange={(event) => setSeconds(Number(event.target.value))}>
            {SCREEN_INTERVALS_S.map((s) => (
              <option key={s} value={s}>
                {s === 0 ? 'manually' : `every ${s} s`}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={refresh} disabled={!connected || loading}>
          Refresh now
        </button>
      </div>
      {!connected && <p className={styles.note}>No picture: the VM is not connected.</p>}
      {connected && shot === undefined && <p className={styles.note}>Taking a picture…</p>}
      {connected && shot?.available === false && (
        <p className={styles.note} role="status">
          {shot.note}
        </p>
      )}
      {picture && (
        <>
          <button type="button" className={styles.thumbButton} onClick={() => setEnlarged(true)} aria-label={`Enlarge the screen of ${name}`}>
            <img className={styles.thumb} src={picture.dataUrl} alt={screenAlt(name, picture)} width={picture.width} height={picture.height} />
          </button>
          <p className={styles.meta}>
            {`${picture.width} × ${picture.height} · taken ${new Date(picture.takenAt).toLocaleTimeString()} · ${picture.format === 'png' ? 'PNG from QEMU' : 'PPM converted to PNG'}`}
          </p>
        </>
      )}
      {enlarged && picture && (
        <Dialog title={`Screen of ${name}`} onClose={() => setEnlarged(false)} size="wide">
          <img className={styles.large} src={picture.dataUrl} alt={screenAlt(name, picture)} width={picture.width} height={picture.height} />
          <div className={styles.buttons}>
            <button type="button" onClick={() => setEnlarged(false)} data-autofocus>
              Close
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
