/**
 * The viewer and controller links, each with a QR code, copy, and rotate (which cuts off the old link). The viewer
 * link opens the view the owner picks here (`?view=`; the countdown is the plain link).
 */
import { useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import type { Links } from '../../lib/rooms/messages.ts';
import { controllerUrl, rotateLink, viewerUrl } from '../../lib/rooms/api.ts';
import { ConfirmButton } from '../common/ConfirmButton.tsx';
import type { ViewName } from '../viewer/view-names.ts';
import { QrCode } from './QrCode.tsx';

/** The viewer's views, as the owner picks one for the link they share. */
const VIEW_CHOICES: Array<{ name: ViewName; title: string; hint: string }> = [
  { name: 'countdown', title: 'Countdown', hint: 'The timer full screen, for the audience and the room.' },
  {
    name: 'presenter',
    title: 'Presenter',
    hint: 'For the speaker: the timer, next cue, notes, time of day, over/under, and presenter-only messages.',
  },
  { name: 'agenda', title: 'Agenda', hint: 'The rundown with planned and projected times. Works on a phone.' },
  { name: 'clock', title: 'Clock', hint: 'A studio clock: the time of day in the room’s time zone, large.' },
];

/** The viewer link for a view: the countdown is the plain link. */
const viewerLinkFor = (token: string, view: ViewName) =>
  view === 'countdown' ? viewerUrl(token) : `${viewerUrl(token)}?view=${view}`;

interface SharePanelProps {
  roomId: string;
  links: Links;
  onRotated: (l: Links) => void;
  notify: (text: string, tone?: 'error' | 'info') => void;
}

export function SharePanel({ roomId, links, onRotated, notify }: SharePanelProps) {
  const [busy, setBusy] = useState(false);
  const [view, setView] = useState<ViewName>('countdown');
  const chosen = VIEW_CHOICES.find((v) => v.name === view) ?? VIEW_CHOICES[0];
  const rotate = async (role: 'viewer' | 'controller') => {
    setBusy(true);
    try {
      onRotated(await rotateLink(roomId, role));
      notify(`New ${role} link: screens on the old one were disconnected`, 'info');
    } catch (e) {
      notify(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      notify('Link copied', 'info');
    } catch {
      notify('Copy failed: select the link and copy it by hand');
    }
  };
  const items = [
    {
      role: 'viewer' as const,
      title: 'Viewer link',
      hint: 'Read-only: opens the view you pick below.',
      url: viewerLinkFor(links.viewer, view),
    },
    {
      role: 'controller' as const,
      title: 'Controller link',
      hint: 'Full control, no account needed. Share with care.',
      url: controllerUrl(roomId, links.controller),
    },
  ];
  return (
    <section class="kt-card ctl-share" aria-label="Share links">
      <h2>Share</h2>
      {items.map((it) => (
        <div class="ctl-share__item" key={it.role} data-testid={`share-${it.role}`}>
          <QrCode text={it.url} label={`QR code for the ${it.title.toLowerCase()}`} testid={`share-${it.role}-qr`} />
          <div class="ctl-share__body">
            <h3>{it.title}</h3>
            <p class="kt-muted ctl-share__hint">{it.hint}</p>
            {it.role === 'viewer' ? (
              <label class="kt-field ctl-share__view">
                View
                <select
                  class="kt-input"
                  value={view}
                  onChange={(e) => setView(e.currentTarget.value as ViewName)}
                  aria-describedby="share-view-hint"
                  data-testid="share-viewer-view"
                >
                  {VIEW_CHOICES.map((v) => (
                    <option key={v.name} value={v.name}>
                      {v.title}
                    </option>
                  ))}
                </select>
                <span id="share-view-hint" class="kt-muted ctl-share__hint" data-testid="share-viewer-view-hint">
                  {chosen?.hint}
                </span>
              </label>
            ) : null}
            <input
              class="kt-input ctl-share__url"
              readOnly
              value={it.url}
              aria-label={it.title}
              onFocus={(e) => e.currentTarget.select()}
              data-testid={`share-${it.role}-url`}
            />
            <div class="ctl-share__actions">
              <button
                type="button"
                class="kt-btn kt-btn--small"
                onClick={() => copy(it.url)}
                data-testid={`share-${it.role}-copy`}
              >
                Copy
              </button>
              <a
                class="kt-btn kt-btn--small"
                href={it.url}
                target="_blank"
                rel="noopener"
                data-testid={`share-${it.role}-open`}
              >
                Open
              </a>
              <ConfirmButton
                class="kt-btn--small"
                testid={`share-${it.role}-rotate`}
                confirmText="Confirm: rotate"
                disabled={busy}
                onConfirm={() => rotate(it.role)}
              >
                Rotate
              </ConfirmButton>
            </div>
          </div>
        </div>
      ))}
    </section>
  );
}
