/**
 * Offers a Blob as a file, the one download path of the page (timeline exports, wire
 * recordings), the same in Electron and in a browser.
 */

/**
 * Offers `blob` as a file: an object URL clicked through `<a download>`.
 *
 * A download is not a navigation, so the CSP and the Electron navigation guard leave it alone;
 * Electron shows its save dialog, a browser its usual download. The URL is released a little
 * later, once the download has surely started reading it.
 */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `20261202-140307`: a local time stamp for file names that sort by time. */
export function fileTimeStamp(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
}
