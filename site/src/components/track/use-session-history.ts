/**
 * The user's session history, newest first, a page at a time. Reloads from
 * the top when `refreshKey` changes (a session stopped); `loadMore` appends
 * the next page (infinite scroll). One load at a time; a reload wins over a
 * page still on its way.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { type Entry, type EntryFilter, fetchEntries } from '../../lib/sessions/entries.ts';

export interface SessionHistory {
  sessions: Entry[] | null;
  nextCursor: string | null;
  partial: boolean;
  loading: boolean;
  error: string | null;
  loadMore(): void;
  reload(): void;
  /** Shows an edited entry in place (before the reload that follows). */
  replace(e: Entry): void;
  remove(id: string): void;
}

export function useSessionHistory(refreshKey: unknown, filter: EntryFilter = {}): SessionHistory {
  const [sessions, setSessions] = useState<Entry[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [partial, setPartial] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const gen = useRef(0);
  const busy = useRef(false);
  const cursor = useRef<string | null>(null);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const filterKey = JSON.stringify(filter);

  const load = async (from: string | null) => {
    const g = from === null ? ++gen.current : gen.current;
    busy.current = true;
    setLoading(true);
    try {
      const page = await fetchEntries(filterRef.current, from);
      if (g !== gen.current) return;
      cursor.current = page.nextCursor;
      setNextCursor(page.nextCursor);
      setPartial(page.partial);
      setSessions((prev) => {
        if (from === null || !prev) return page.entries;
        const seen = new Set(prev.map((s) => s.id));
        return [...prev, ...page.entries.filter((s) => !seen.has(s.id))];
      });
      setError(null);
    } catch (e) {
      if (g === gen.current) setError(errorText(e));
    } finally {
      if (g === gen.current) {
        busy.current = false;
        setLoading(false);
      }
    }
  };

  useEffect(() => {
    void load(null);
  }, [refreshKey, filterKey]);

  return {
    sessions,
    nextCursor,
    partial,
    loading,
    error,
    loadMore: () => {
      if (!busy.current && cursor.current) void load(cursor.current);
    },
    reload: () => void load(null),
    replace: (e: Entry) => setSessions((prev) => prev && prev.map((s) => (s.id === e.id ? e : s))),
    remove: (id: string) => setSessions((prev) => prev && prev.filter((s) => s.id !== id)),
  };
}
