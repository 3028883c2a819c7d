/** The viewer and controller links, each with a QR code, copy, and rotate (which cuts off the old link). */
import { useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import type { Links } from '../../lib/rooms/messages.ts';
import { controllerUrl, rotateLink, viewerUrl } from '../../lib/rooms/api.ts';
import { ConfirmButton } from '../common/ConfirmButton.tsx';
import { QrCode } from './QrCode.tsx';

interface SharePanelProps {
  roomId: string;
  links: Links;
  onRotated: (l: Links) => void;
  notify: (text: string, tone?: 'error' | 'info') => void;
}

export function SharePanel({ roomId, links, onRotated, notify }: SharePanelProps) {
  const [busy, setBusy] = useState(false);
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
      hint: 'Read-only: shows the timer full screen.',
      url: viewerUrl(links.viewer),
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
