/**
 * The offline scan queue: every scan is a record in IndexedDB until the
 * server has accepted it, so it survives a reload or a closed tab.
 */

/** One scan as POST /api/sync/batch takes it, plus the session it belongs to. */
export interface ScanRecord {
  client_record_id: string;
  session_id: string;
  item_code: string;
  verified_qty: number;
  damage_qty: number;
  serial_numbers: string[];
  status: 'verified' | 'damaged';
  created_at: number;
  updated_at: number;
  /** 1 once the server answered it (accepted, duplicate, conflict or rejected); a number so it can be indexed. */
  synced: 0 | 1;
  /** How the server answered it; a refused record is not one the server holds. */
  answer?: 'held' | 'rejected';
}

const DB = 'kt-racks';
const STORE = 'scans';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      const s = req.result.createObjectStore(STORE, { keyPath: 'client_record_id' });
      s.createIndex('session', 'session_id');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** A per-session view of the queue. */
export class ScanQueue {
  private db: Promise<IDBDatabase> | null = null;

  private conn(): Promise<IDBDatabase> {
    this.db ??= open();
    return this.db;
  }

  async add(rec: ScanRecord): Promise<void> {
    const tx = (await this.conn()).transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(rec);
    await done(tx);
  }

  /** Every record of a session, oldest first. */
  async all(sessionId: string): Promise<ScanRecord[]> {
    const tx = (await this.conn()).transaction(STORE, 'readonly');
    const req = tx.objectStore(STORE).index('session').getAll(sessionId);
    await done(tx);
    return (req.result as ScanRecord[]).sort((a, b) => a.created_at - b.created_at);
  }

  /**
   * Unsent records of the rack's earlier sessions (session ids are `<rack>:<token>`):
   * scans made under a lease that was lost before they went out. They are
   * never dropped; the scan screen offers to send them under the new claim.
   */
  async leftover(rackId: string, currentSession: string): Promise<ScanRecord[]> {
    const tx = (await this.conn()).transaction(STORE, 'readonly');
    const req = tx.objectStore(STORE).getAll();
    await done(tx);
    return (req.result as ScanRecord[])
      .filter((r) => !r.synced && r.session_id !== currentSession && r.session_id.startsWith(`${rackId}:`))
      .sort((a, b) => a.created_at - b.created_at);
  }

  /** How many scans on this device, of any session, the server has not answered yet. */
  async unsyncedCount(): Promise<number> {
    const tx = (await this.conn()).transaction(STORE, 'readonly');
    const req = tx.objectStore(STORE).getAll();
    await done(tx);
    return (req.result as ScanRecord[]).filter((r) => !r.synced).length;
  }

  async markSynced(ids: string[], rejected: ReadonlySet<string> = new Set()): Promise<void> {
    if (ids.length === 0) return;
    const tx = (await this.conn()).transaction(STORE, 'readwrite');
    const s = tx.objectStore(STORE);
    for (const id of ids) {
      const req = s.get(id);
      req.onsuccess = () => {
        const rec = req.result as ScanRecord | undefined;
        if (rec) s.put({ ...rec, synced: 1, answer: rejected.has(id) ? 'rejected' : 'held' });
      };
    }
    await done(tx);
  }
}

/** The device's one queue, shared by the scan screen and the unsynced badge. */
export const deviceQueue = new ScanQueue();
