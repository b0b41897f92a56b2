/**
 * Where keyboard focus goes when the element holding it disappears (e.g. a removed VM).
 */

/**
 * Focuses the first element matching one of `selectors`, once React has committed.
 *
 * Without this, focus falls back to `<body>` and a keyboard user starts over at the top.
 */
export function focusAfterRemoval(selectors: readonly string[]): void {
  requestAnimationFrame(() => {
    if (document.activeElement && document.activeElement !== document.body) return;
    for (const selector of selectors) {
      const target = document.querySelector<HTMLElement>(selector);
      if (target) {
        target.focus();
        return;
      }
    }
  });
}
