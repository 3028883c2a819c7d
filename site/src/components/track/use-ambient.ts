/**
 * Background music that follows the session: plays while it runs, pauses
 * with it, stops at the end. Off unless the person turned it on (remembered).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { type AmbientState, AmbientLoop, musicWanted, rememberMusic } from '../../lib/sessions/ambient.ts';
import type { PredictedStatus } from '../../lib/sessions/store.ts';
import { useObservable } from '../common/hooks.ts';

export interface Ambient {
  on: boolean;
  state: AmbientState;
  toggle(): void;
}

export function useAmbient(status: PredictedStatus | null): Ambient {
  const loop = useMemo(() => new AmbientLoop(), []);
  const [on, setOn] = useState(musicWanted);
  const state = useObservable(loop, loop.state);

  useEffect(() => {
    if (!on || status === null || status === 'idle') loop.stop();
    else if (status === 'running') loop.play();
    else loop.pause();
  }, [on, status]);
  useEffect(() => () => loop.stop(), []);

  return {
    on,
    state,
    toggle: () => {
      const next = !on;
      rememberMusic(next);
      setOn(next);
      // Inside the click: browsers allow sound to start from a gesture.
      if (next && status === 'running') loop.play();
    },
  };
}
