/** Warns when the browser refused persistent storage for the scan queue, or the device is low on space. */
import { useEffect, useState } from 'preact/hooks';
import { type StorageCheck, checkStorage, megabytes } from '../../lib/racks/storage.ts';

export function StorageWarning() {
  const [check, setCheck] = useState<StorageCheck | null>(null);
  useEffect(() => {
    checkStorage().then(setCheck, () => undefined);
  }, []);
  if (!check || (check.persisted !== false && !check.low)) return null;
  return (
    <p
      class="kt-alert kt-alert--warn kt-storage-warn"
      role="status"
      data-testid="storage-warning"
      data-persisted={String(check.persisted)}
      data-low={String(check.low)}
    >
      {check.low && check.freeBytes !== null
        ? `Low storage: only ${megabytes(check.freeBytes)} free. Sync before scanning more offline. `
        : ''}
      {check.persisted === false
        ? 'This browser may clear offline scans under storage pressure: stay online when you can, or install the site.'
        : ''}
    </p>
  );
}
