/** Parsing and formatting what people type for durations and local date-times. */

/**
 * "90" → 90 s; "5:00" → 5 min; "1:30:00" → 1 h 30 min; "10m", "1h 30m", "45s" too.
 * Returns milliseconds, or null when the text is not a duration.
 */
export function parseDuration(text: string): number | null {
  const s = text.trim().toLowerCase();
  if (!s) return null;
  if (/^\d+(:\d{1,2}){0,2}$/.test(s)) {
    const parts = s.split(':').map(Number);
    if (parts.slice(1).some((p) => p >= 60)) return null;
    return parts.reduce((acc, p) => acc * 60 + p, 0) * 1000;
  }
  const units = /^(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)\s*s(?:ec)?)?$/.exec(
    s,
  );
  if (units && (units[1] || units[2] || units[3])) {
    const [h, m, sec] = [units[1], units[2], units[3]].map((x) => Number(x ?? 0)) as [number, number, number];
    return Math.round((h * 3600 + m * 60 + sec) * 1000);
  }
  return null;
}

/** 300000 → "5:00"; 5400000 → "1:30:00". */
export function formatDurationInput(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${p(m)}:${p(sec)}` : `${m}:${p(sec)}`;
}

/** Epoch ms → the value of an <input type="datetime-local"> in local time. */
export function toLocalInput(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The value of an <input type="datetime-local"> → epoch ms, or null. */
export function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** Seconds typed in an optional field → ms; '' → null (use the room default); NaN → undefined (invalid). */
export function optionalSeconds(text: string): number | null | undefined {
  const s = text.trim();
  if (!s) return null;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1000) : undefined;
}
