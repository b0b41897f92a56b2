/**
 * Shown instead of the app when the core cannot be reached or read at all.
 */

/** The reason, in words, with no retry loop: the fix is in how the app was started. */
export function LoadError({ message }: { readonly message: string }) {
  return (
    <main aria-labelledby="load-error-title" className="load-error">
      <h1 id="load-error-title">QMP Monitor could not start</h1>
      <p role="alert">{message}</p>
    </main>
  );
}
