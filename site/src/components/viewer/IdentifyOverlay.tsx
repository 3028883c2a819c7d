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
      <span class="kt-identify__name" data-testid="identify-name">
        <span class="kt-identify__hint">This screen is</span>
        {shown.name}
      </span>
    </div>
  );
}
