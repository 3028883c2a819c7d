/**
 * "N scans not synced": on every rack screen while this device holds scans
 * the server has not answered. The scan screen passes its live count; other
 * screens read the device's queue every few seconds.
 */
import { useEffect, useState } from 'preact/hooks';
import { deviceQueue } from '../../lib/racks/scan-queue.ts';

const POLL_MS = 2_000;

export function UnsyncedBadge(props: { count?: number }) {
  const [polled, setPolled] = useState(0);
  const live = props.count;
  useEffect(() => {
    if (live !== undefined) return;
    let stop = false;
    const read = () =>
      deviceQueue.unsyncedCount().then(
        (n) => !stop && setPolled(n),
        () => undefined,
      );
    void read();
    const t = setInterval(read, POLL_MS);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [live]);
  const n = live ?? polled;
  if (n <= 0) return null;
  return (
    <span class="kt-unsynced" role="status" data-testid="unsynced-badge" data-count={n}>
      {n} {n === 1 ? 'scan' : 'scans'} not synced
    </span>
  );
}
