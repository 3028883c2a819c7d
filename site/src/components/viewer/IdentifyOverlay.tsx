/**
 * "Which screen is this?": when the organiser identifies this device, the whole screen flashes for a few seconds
 * with the device's name big in a corner. With prefers-reduced-motion it is a steady highlight, not a flash.
 */
import { useEffect, useState } from 'preact/hooks';

export interface IdentifyRequest {
  name: string;
  durationMs: number;
  /** A new request (even with the same name) restarts the overlay. */
  seq: number;
}

const CSS = `
.kt-identify {
  position: fixed; inset: 0; z-index: 1000; pointer-events: none;
  border: 1.5rem solid #ffd400; background: rgba(255, 212, 0, 0.35);
  animation: kt-identify-flash 0.5s steps(2, jump-none) infinite;
}
.kt-identify__name {
  position: absolute; right: 2rem; bottom: 2rem; max-width: calc(100% - 4rem);
  padding: 0.5rem 1.25rem; border-radius: 0.75rem; background: #111; color: #ffd400;
  font: 700 clamp(2rem, 7vw, 6rem)/1.1 system-ui, sans-serif; overflow-wrap: anywhere;
}
.kt-identify__hint { display: block; font-size: 0.3em; font-weight: 500; color: #fff; }
@keyframes kt-identify-flash { from { background: rgba(255, 212, 0, 0.6); } to { background: rgba(255, 212, 0, 0.1); } }
@media (prefers-reduced-motion: reduce) {
  .kt-identify { animation: none; background: rgba(255, 212, 0, 0.3); }
}
`;

export function IdentifyOverlay({ request }: { request: IdentifyRequest | null }) {
  const [shown, setShown] = useState<IdentifyRequest | null>(null);
  useEffect(() => {
    if (!request || request.durationMs <= 0) return;
    setShown(request);
    const t = setTimeout(() => setShown(null), request.durationMs);
    return () => clearTimeout(t);
  }, [request?.seq]);
  if (!shown) return null;
  return (
    <div class="kt-identify" data-testid="identify-overlay" role="status" aria-live="assertive">
      <style>{CSS}</style>
      <span class="kt-identify__name" data-testid="identify-name">
        <span class="kt-identify__hint">This screen is</span>
        {shown.name}
      </span>
    </div>
  );
}
