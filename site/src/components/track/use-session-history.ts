/**
 * The user's session history, newest first, a page at a time. Reloads from
 * the top when `refreshKey` changes (a session stopped); `loadMore` appends
 * the next page (infinite scroll). One load at a time; a reload wins over a
 * page still on its way.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { type PastSession, fetchHistoryPage } from '../../lib/sessions/api.ts';

export interface SessionHistory {
  sessions: PastSession[] | null;
  nextCursor: string | null;
  partial: boolean;
  loading: boolean;
  error: string | null;
  loadMore(): void;
  reload(): void;
}

export function useSessionHistory(refreshKey: unknown): SessionHistory {
  const [sessions, setSessions] = useState<PastSession[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [partial, setPartial] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const gen = useRef(0);
  const busy = useRef(false);
  const cursor = useRef<string | null>(null);

  const load = async (from: string | null) => {
    const g = from === null ? ++gen.current : gen.current;
    busy.current = true;
    setLoading(true);
    try {
      const page = await fetchHistoryPage(from);
      if (g !== gen.current) return;
      cursor.current = page.nextCursor;
      setNextCursor(page.nextCursor);
      setPartial(page.partial);
      setSessions((prev) => {
        if (from === null || !prev) return page.sessions;
        const seen = new Set(prev.map((s) => s.id));
        return [...prev, ...page.sessions.filter((s) => !seen.has(s.id))];
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
  }, [refreshKey]);

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
  };
}
