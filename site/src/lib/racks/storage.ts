/**
 * Scans live in IndexedDB until the server has them, so the site asks for
 * persistent storage (the browser may otherwise evict it under pressure) and
 * warns when that is refused or when the device is low on space.
 */

/** Below this much free quota the scan screen warns. */
export const LOW_STORAGE_BYTES = 50 * 1024 * 1024;

export interface StorageCheck {
  /** true: persistent; false: refused; null: the browser has no such API. */
  persisted: boolean | null;
  /** Free bytes by the browser's estimate, or null when unknown. */
  freeBytes: number | null;
  low: boolean;
}

let asked: Promise<StorageCheck> | null = null;

/** Asks once per page for persistent storage and estimates the free space. */
export function checkStorage(): Promise<StorageCheck> {
  asked ??= (async () => {
    const s = navigator.storage;
    let persisted: boolean | null = null;
    try {
      if (s?.persisted && (await s.persisted())) persisted = true;
      else if (s?.persist) persisted = await s.persist();
    } catch {
      persisted = false;
    }
    let freeBytes: number | null = null;
    try {
      const e = s?.estimate ? await s.estimate() : null;
      if (e && typeof e.quota === 'number') freeBytes = Math.max(0, e.quota - (e.usage ?? 0));
    } catch {
      freeBytes = null;
    }
    return { persisted, freeBytes, low: freeBytes !== null && freeBytes < LOW_STORAGE_BYTES };
  })();
  return asked;
}

/** "12 MB" */
export const megabytes = (bytes: number): string => `${Math.max(0, Math.round(bytes / (1024 * 1024)))} MB`;
