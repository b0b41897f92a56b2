/**
 * The one x-axis label of every time chart (timeline rate strip, live charts, migration).
 *
 * Local time on one line: uPlot's default time labels take two lines, which a small axis
 * cuts off. Whole minutes read `14:05`, anything else `14:05:30`.
 */
export function clockLabel(seconds: number): string {
  const date = new Date(seconds * 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const hm = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return date.getSeconds() === 0 ? hm : `${hm}:${pad(date.getSeconds())}`;
}
