/**
 * Where keyboard focus goes when the element holding it disappears (e.g. a removed VM).
 *
 * Without this, focus falls back to `<body>` and a keyboard user starts over at the top.
 */

/**
 * Focuses the first element matching one of `selectors`, now, if focus has fallen to `<body>`.
 *
 * For removals the caller has already committed (e.g. with `flushSync`), so that focus has
 * moved before anything else can see the page.
 */
export function focusFirstMatch(selectors: readonly string[]): void {
  if (document.activeElement && document.activeElement !== document.body) return;
  for (const selector of selectors) {
    const target = document.querySelector<HTMLElement>(selector);
    if (target) {
      target.focus();
      return;
    }
  }
}

/**
 * Like {@link focusFirstMatch}, on the next frame: for removals React commits later, such as
 * one that follows a reply from the core.
 */
export function focusAfterRemoval(selectors: readonly string[]): void {
  requestAnimationFrame(() => focusFirstMatch(selectors));
}
