/**
 * A piece of window layout (sidebar width, collapsed or not) remembered in localStorage.
 *
 * Layout belongs to this window, not to the core's settings: it is read synchronously on the
 * first render, so the window never jumps from a default to the remembered layout. Both hosts
 * serve the renderer from a fixed origin (app:// in Electron, http://127.0.0.1 for npm run
 * web), so the storage survives reloads and restarts. Storage can be missing or refuse writes
 * (a locked-down profile); then the setting simply lasts for this page only.
 */
import { useCallback, useState } from 'react';

/** Prefix so our keys cannot clash with anything else on the origin. */
const PREFIX = 'qmp-monitor.layout.';

function read<T>(key: string, parse: (stored: string) => T | undefined, fallback: T): T {
  try {
    const stored = window.localStorage.getItem(PREFIX + key);
    return stored === null ? fallback : (parse(stored) ?? fallback);
  } catch {
    return fallback;
  }
}

function write(key: string, value: string): void {
  try {
    window.localStorage.setItem(PREFIX + key, value);
  } catch {
    /* storage unavailable: keep the value for this page only */
  }
}

/**
 * `useState` that starts from the stored value (when `parse` accepts it) and stores each change.
 *
 * `parse` returns undefined for anything it does not accept, so a hand-edited or stale value
 * falls back to `fallback` instead of breaking the layout.
 */
export function useStoredSetting<T>(key: string, parse: (stored: string) => T | undefined, fallback: T): [T, (next: T) => void] {
  const [value, setValue] = useState(() => read(key, parse, fallback));
  const update = useCallback(
    (next: T) => {
      setValue(next);
      write(key, JSON.stringify(next));
    },
    [key],
  );
  return [value, update];
}

/** A `parse` for {@link useStoredSetting} that accepts a stored finite number. */
export function storedNumber(stored: string): number | undefined {
  const value: unknown = JSON.parse(stored);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A `parse` for {@link useStoredSetting} that accepts a stored boolean. */
export function storedBoolean(stored: string): boolean | undefined {
  const value: unknown = JSON.parse(stored);
  return typeof value === 'boolean' ? value : undefined;
}
