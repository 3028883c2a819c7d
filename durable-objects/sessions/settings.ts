/**
 * The user's idle settings (kept in the session state, so the pure core
 * reads them), and the record of recent stops that lets a stale command be
 * told what happened to the session it named.
 */
import { type SessionSettings, DEFAULT_SETTINGS, settingsProblem } from '../../core/sessions/idle.ts';
import type { CompletedSession, SessionState, StopReason, StoppedBy } from '../../core/sessions/transition.ts';
import type { JsonStore } from '../platform/kv.ts';

/** The settings in force (the defaults before the user changed any). */
export const settingsOf = (state: SessionState | null): SessionSettings => state?.settings ?? { ...DEFAULT_SETTINGS };

/** `current` with `change` applied, or why that is not acceptable. */
export function mergeSettings(
  current: SessionSettings,
  change: Partial<SessionSettings>,
): { ok: true; settings: SessionSettings } | { ok: false; message: string } {
  const settings: SessionSettings = {
    idleLimitMs: change.idleLimitMs === undefined ? current.idleLimitMs : change.idleLimitMs,
    autoStopIdleMs: change.autoStopIdleMs === undefined ? current.autoStopIdleMs : change.autoStopIdleMs,
  };
  const problem = settingsProblem(settings);
  return problem ? { ok: false, message: problem } : { ok: true, settings };
}

// ── Stops, for stale commands ──────────────────────────────────────────────
/** What a stale command is told about the session it named. */
export interface StaleTarget {
  id: string;
  status: 'stopped' | 'unknown';
  endTime: number | null;
  stopReason: StopReason | null;
  stoppedBy: StoppedBy | null;
}

const STOPS_KEY = 'stops';
/** Stops remembered: more than any device queues offline. */
const STOPS_KEPT = 50;

/** Remembers a stop (call inside the stopping transaction). */
export function rememberStop(kv: JsonStore, s: CompletedSession): void {
  const stops = kv.get<StaleTarget[]>(STOPS_KEY) ?? [];
  const entry: StaleTarget = {
    id: s.id,
    status: 'stopped',
    endTime: s.endTime,
    stopReason: s.stopReason,
    stoppedBy: s.stoppedBy,
  };
  kv.put(STOPS_KEY, [entry, ...stops.filter((t) => t.id !== s.id)].slice(0, STOPS_KEPT));
}

/** What became of session `id`: stopped (when, why, by which device), or unknown to this object. */
export function staleTarget(kv: JsonStore, id: string): StaleTarget {
  return (
    (kv.get<StaleTarget[]>(STOPS_KEY) ?? []).find((t) => t.id === id) ?? {
      id,
      status: 'unknown',
      endTime: null,
      stopReason: null,
      stoppedBy: null,
    }
  );
}
