/**
 * The sidebar's width and collapsed state: remembered per window, kept within the viewport.
 *
 * The stored width is what the user chose; the width shown is that, clamped so the status
 * panel always keeps room (at 800 px wide nothing may need horizontal scrolling). A window
 * made narrower shrinks the sidebar, and widening it again brings the chosen width back.
 */
import { useSyncExternalStore } from 'react';
import { clampWidth } from '../ui/splitter';
import { storedBoolean, storedNumber, useStoredSetting } from '../ui/use-stored-setting';

/** Default sidebar width in CSS pixels (room for a VM name, its state and an Add button). */
export const SIDEBAR_DEFAULT_WIDTH = 288;
/** Narrowest useful sidebar. */
export const SIDEBAR_MIN_WIDTH = 200;
/** Widest sidebar, however wide the window. */
export const SIDEBAR_MAX_WIDTH = 560;
/** Room the status panel keeps next to the sidebar. */
const MAIN_MIN_WIDTH = 360;

function subscribeToResize(onChange: () => void): () => void {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
}

const viewportWidth = () => window.innerWidth;

/** What the app shell needs to lay out and drive the sidebar. */
export interface SidebarLayout {
  /** Width shown now (the chosen width within this viewport's limits). */
  readonly width: number;
  readonly min: number;
  readonly max: number;
  readonly collapsed: boolean;
  readonly setWidth: (width: number) => void;
  readonly setCollapsed: (collapsed: boolean) => void;
}

/** The sidebar layout for this window. */
export function useSidebarLayout(): SidebarLayout {
  const [chosen, setWidth] = useStoredSetting('sidebar-width', storedNumber, SIDEBAR_DEFAULT_WIDTH);
  const [collapsed, setCollapsed] = useStoredSetting('sidebar-collapsed', storedBoolean, false);
  const viewport = useSyncExternalStore(subscribeToResize, viewportWidth);
  const max = Math.max(SIDEBAR_MIN_WIDTH, Math.min(SIDEBAR_MAX_WIDTH, viewport - MAIN_MIN_WIDTH));
  return { width: clampWidth(chosen, SIDEBAR_MIN_WIDTH, max), min: SIDEBAR_MIN_WIDTH, max, collapsed, setWidth, setCollapsed };
}
