/**
 * Runs `load` now and then every `ms` while `active` and the page is visible;
 * never two loads at once. Returns a function that loads again at once.
 */
import { useEffect, useRef } from 'preact/hooks';

export function usePoll(load: () => Promise<unknown>, ms: number, active = true): () => void {
  const loadRef = useRef(load);
  loadRef.current = load;
  const kick = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let running = false;
    let again = false;
    let stopped = false;
    const schedule = () => {
      if (timer !== null) clearTimeout(timer);
      timer = stopped || document.visibilityState === 'hidden' ? null : setTimeout(tick, ms);
    };
    const tick = async () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        await loadRef.current();
      } catch {
        // The loader shows its own errors; polling carries on.
      }
      running = false;
      if (stopped) return;
      if (again) {
        again = false;
        void tick();
      } else schedule();
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible' && !running) void tick();
    };
    kick.current = () => void tick();
    document.addEventListener('visibilitychange', onVisible);
    void tick();
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
      kick.current = () => undefined;
    };
  }, [active, ms]);

  return () => kick.current();
}
