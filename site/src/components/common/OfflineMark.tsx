/**
 * "Offline since 14:02:10": shown once the page has not been live for a few
 * seconds, while the display keeps counting from the last state it had. It
 * clears when the page has resynced (socket open again and a state received).
 * The instant is the server-clock estimate, shown in local time.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ClockSync, LinkState } from '../../lib/clock/clock-sync.ts';

/** A blip shorter than this (a reconnect) shows nothing. */
const SHOW_AFTER_MS = 3_000;

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

type LinkSource = Pick<ClockSync, 'link' | 'subscribeLink' | 'now'>;

export function OfflineMark({ clock }: { clock: LinkSource }) {
  const [link, setLink] = useState<LinkState>(clock.link);
  const [shown, setShown] = useState(false);
  useEffect(() => clock.subscribeLink(setLink), [clock]);
  useEffect(() => {
    setShown(false);
    if (link.since === null) return;
    const t = setTimeout(() => setShown(true), Math.max(0, SHOW_AFTER_MS - (clock.now() - link.since)));
    return () => clearTimeout(t);
  }, [clock, link.since]);

  const since = shown ? link.since : null;
  // The live region stays mounted (empty and sizeless when live) so that screen readers announce the change.
  return (
    <div
      class="kt-offline"
      role="status"
      data-testid="offline-mark"
      data-shown={since !== null}
      {...(since !== null && { 'data-since': since })}
    >
      {since !== null ? (
        <>
          <span class="kt-offline__dot" aria-hidden="true" />
          <span>
            Offline since <time dateTime={new Date(since).toISOString()}>{timeOfDay.format(since)}</time>
          </span>
        </>
      ) : null}
    </div>
  );
}
