/** Companion variable definitions: ids from state.ts, names for the variable list. */
import type { CompanionVariableDefinitions } from '@companion-module/base';
import type { VariableId, Variables } from './state.ts';

const NAMES: Record<VariableId, string> = {
  remaining: 'Remaining, as the viewer shows it (4:59, 1:02:03, -0:12)',
  remaining_mmss: 'Remaining, mm:ss (minutes not wrapped: 75:00)',
  remaining_hms: 'Remaining, h:mm:ss',
  remaining_seconds: 'Remaining, whole seconds (negative in overtime)',
  elapsed: 'Elapsed (m:ss)',
  elapsed_hms: 'Elapsed, h:mm:ss',
  display: 'What the countdown shows (remaining; elapsed for count-ups)',
  label: 'Active timer label',
  next_label: 'Next timer label',
  over_under: 'Over/under the plan (+ behind, - ahead); empty without a schedule',
  over_under_seconds: 'Over/under the plan, seconds',
  time_of_day: "Time of day at the server (room's time zone)",
  state: 'Active timer state (idle, running, paused, finished)',
  phase: 'Active timer phase (idle, normal, warning, danger, overtime)',
  message: 'Message text',
  blackout: 'Blackout (on / off)',
};

export function variableDefinitions(): CompanionVariableDefinitions<Variables> {
  const out = {} as CompanionVariableDefinitions<Variables>;
  for (const [id, name] of Object.entries(NAMES) as Array<[VariableId, string]>) out[id] = { name };
  return out;
}
