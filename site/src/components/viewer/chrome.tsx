/** The viewer shell's small parts: the chosen view's lazy load, the full-screen button and the unknown-view notice. */
import { useEffect, useState } from 'preact/hooks';
import { toggleFullscreen } from './screen.ts';
import type { ViewChoice } from './view-names.ts';
import type { ViewComponent } from './views/types.ts';

export type ViewLoad = { status: 'loading' } | { status: 'ready'; View: ViewComponent } | { status: 'failed' };

/** Loads the view's chunk once; a failed load (offline at first paint) is reported, never a blank page. */
export function useViewLoad(load: () => Promise<ViewComponent>): ViewLoad {
  const [state, setState] = useState<ViewLoad>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    load().then(
      (View) => live && setState({ status: 'ready', View }),
      () => live && setState({ status: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, [load]);
  return state;
}

/** A real button for full screen (the double-click stays as a shortcut). */
export function FullscreenButton() {
  return (
    <button
      type="button"
      class="kt-fs-btn"
      onClick={toggleFullscreen}
      onDblClick={(e) => e.stopPropagation()}
      aria-label="Full screen"
      title="Full screen"
      data-testid="viewer-fullscreen"
    >
      <svg viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true">
        <path
          d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5"
          fill="none"
          stroke="currentColor"
          stroke-width="2"
          stroke-linecap="round"
        />
      </svg>
    </button>
  );
}

/** NOTICE_MS after the page opens, the unknown-view notice goes (it can be closed sooner). */
const NOTICE_MS = 20_000;

/** "There is no view called …": the link asked for a view that does not exist, so the countdown shows. */
export function ViewNotice({ choice }: { choice: ViewChoice }) {
  const [open, setOpen] = useState(choice.unknown !== null);
  useEffect(() => {
    if (!open) return;
    const t = setTimeout(() => setOpen(false), NOTICE_MS);
    return () => clearTimeout(t);
  }, [open]);
  if (!open) return null;
  return (
    <div class="kt-view-notice" role="status" data-testid="view-notice">
      <span>
        There is no “{choice.unknown}” view: showing the countdown. Views: countdown, presenter, agenda, clock.
      </span>
      <button type="button" class="kt-view-notice__close" onClick={() => setOpen(false)} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
