/**
 * Branded time units. An Instant is epoch milliseconds; a Duration is a span in
 * milliseconds. Branding stops a duration being passed where an instant is meant.
 */
export type Instant = number & { readonly __brand: 'Instant' };
export type Duration = number & { readonly __brand: 'Duration' };

export const instant = (ms: number): Instant => ms as Instant;
export const duration = (ms: number): Duration => ms as Duration;

export const SECOND = 1000 as Duration;
export const MINUTE = 60_000 as Duration;
export const HOUR = 3_600_000 as Duration;

/** Formats a signed duration as [-]H:MM:SS or [-]M:SS, with tenths when asked; `--:--` for a non-finite reading. */
export function formatDuration(ms: number, opts: { tenths?: boolean } = {}): string {
  if (!Number.isFinite(ms)) return '--:--';
  const negative = ms < 0;
  const abs = Math.abs(ms);
  // Countdowns show the ceiling of the remaining second (10.2 s left reads 0:11) unless tenths are shown;
  // overtime shows the floor, so a timer reads 0:00 exactly once.
  const totalTenths = opts.tenths ? (negative ? Math.floor(abs / 100) : Math.ceil(abs / 100)) : 0;
  const totalSeconds = opts.tenths
    ? Math.floor(totalTenths / 10)
    : negative
      ? Math.floor(abs / 1000)
      : Math.ceil(abs / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const body = h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  const tail = opts.tenths ? `.${totalTenths % 10}` : '';
  return (negative && (totalSeconds > 0 || totalTenths > 0) ? '-' : '') + body + tail;
}

const pad = (n: number) => String(n).padStart(2, '0');
