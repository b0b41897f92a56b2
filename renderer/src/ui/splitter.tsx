/**
 * A vertical window splitter: drag it, or focus it and use the arrow keys, to size a pane.
 *
 * Follows the WAI-ARIA window-splitter pattern: a focusable `role="separator"` whose value is
 * the controlled pane's width, so a keyboard or screen-reader user can resize as well as a
 * mouse user. Left/Right move by a step (Shift for a bigger one), Home/End go to the limits.
 */
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import styles from './splitter.module.css';

/** Props of {@link Splitter}. */
export interface SplitterProps {
  /** Width of the pane before the splitter, in CSS pixels. */
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly onChange: (value: number) => void;
  /** Accessible name, e.g. "Resize sidebar". */
  readonly label: string;
  /** id of the pane it sizes. */
  readonly controls: string;
}

const STEP = 16;
const BIG_STEP = 64;

/** Keeps `value` within `[min, max]` (and at least `min` if they cross). */
export function clampWidth(value: number, min: number, max: number): number {
  return Math.round(Math.max(min, Math.min(value, max)));
}

/** The separator between two panes. */
export function Splitter({ value, min, max, onChange, label, controls }: SplitterProps) {
  const drag = useRef<{ readonly x: number; readonly width: number } | null>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? BIG_STEP : STEP;
    const next: Record<string, number> = { ArrowLeft: value - step, ArrowRight: value + step, Home: min, End: max };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    onChange(clampWidth(target, min, max));
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, width: value };
    event.preventDefault();
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    onChange(clampWidth(drag.current.width + event.clientX - drag.current.x, min, max));
  };

  const endDrag = () => {
    drag.current = null;
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-controls={controls}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      className={styles.splitter}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
    />
  );
}
