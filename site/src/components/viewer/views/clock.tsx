/** The clock view: a studio clock with the time of day in the room's time zone, large, and the date and zone. */
import { dayTimeFormat, messageFor } from '../../../lib/rooms/display.ts';
import { useFrameValue } from '../../common/hooks.ts';
import { ScreenMessage, useTimeOfDay } from './parts.tsx';
import type { ViewProps } from './types.ts';

type Parts = Intl.DateTimeFormatPart[];
const text = (parts: Parts) => parts.map((p) => p.value).join('');
const sameText = (a: Parts, b: Parts) => text(a) === text(b);

export default function ClockView({ view, corner }: ViewProps) {
  const zone = view.room?.timeZone ?? 'UTC';
  const parts = useFrameValue((now) => dayTimeFormat(zone, 'seconds').formatToParts(now), sameText);
  const date = useTimeOfDay(zone, 'date');
  // The day period (AM/PM, where the locale has one) is set smaller, so the digits can be larger.
  const digits = text(parts.filter((p) => p.type !== 'dayPeriod')).trim().length;
  const period = parts.some((p) => p.type === 'dayPeriod');
  return (
    <div class="kt-clock" data-testid="clock-view" data-zone={zone}>
      <header class="kt-clock__top">
        <span class="kt-clock__room">{view.room?.name ?? ''}</span>
        {corner}
      </header>
      <div class="kt-clock__main">
        <time class="kt-clock__time" data-testid="clock-time" style={{ '--chars': digits + (period ? 1.2 : 0) }}>
          {parts.map((p, i) =>
            p.type === 'dayPeriod' ? (
              <span key={i} class="kt-clock__period">
                {p.value}
              </span>
            ) : (
              p.value
            ),
          )}
        </time>
        <div class="kt-clock__date" data-testid="clock-date">
          {date} · <span data-testid="clock-zone">{zone.replace(/_/g, ' ')}</span>
        </div>
        <ScreenMessage message={messageFor(view.message, 'audience')} />
      </div>
    </div>
  );
}
