/**
 * A span of tracked time in the reader's language: "2 h 5 min" in English (the compact form Track has always shown),
 * "2 Std., 5 Min." in German, "2 h et 5 min" in French, from `Intl.DurationFormat` where the browser has it. Rounded as
 * core's humanDuration rounds: seconds under a minute, else whole minutes.
 */
import { humanDuration as english } from '../../../../core/sessions/stats.ts';

interface DurationFormatLike {
  format(d: { hours?: number; minutes?: number; seconds?: number }): string;
}
type DurationFormatCtor = new (locale?: string, opts?: { style?: 'short' | 'narrow' | 'long' }) => DurationFormatLike;

const cache = new Map<string, DurationFormatLike | null>();

function formatter(locale: string): DurationFormatLike | null {
  if (!cache.has(locale)) {
    const Ctor = (Intl as unknown as { DurationFormat?: DurationFormatCtor }).DurationFormat;
    let f: DurationFormatLike | null = null;
    try {
      f = Ctor ? new Ctor(locale, { style: 'short' }) : null;
    } catch {
      f = null;
    }
    cache.set(locale, f);
  }
  return cache.get(locale) ?? null;
}

const browserLocale = () => (typeof navigator === 'undefined' ? 'en' : (navigator.language ?? 'en'));

export function humanDuration(ms: number, locale: string = browserLocale()): string {
  if (/^en\b/i.test(locale)) return english(ms);
  const f = formatter(locale);
  if (!f) return english(ms);
  const totalS = Math.round(Math.max(0, ms) / 1000);
  if (totalS === 0 && ms > 0) return `<${f.format({ seconds: 1 })}`;
  if (totalS < 60) return f.format({ seconds: totalS });
  const totalMin = Math.round(totalS / 60);
  const hours = Math.floor(totalMin / 60);
  const minutes = totalMin % 60;
  if (hours === 0) return f.format({ minutes });
  return minutes === 0 ? f.format({ hours }) : f.format({ hours, minutes });
}
