/**
 * Companion feedbacks: the button colour by phase, running / paused, blackout and "a message is up". They answer
 * from the state the Display last derived; the Display asks Companion to recheck a type only when its answer changed.
 */
import { type CompanionFeedbackDefinitions, combineRgb } from '@companion-module/base';
import type { Phase } from '../../../core/rooms/timer.ts';
import type { FeedbackState } from './state.ts';

export type FeedbacksSchema = {
  phase: { type: 'boolean'; options: { phase: Phase } };
  phase_color: { type: 'advanced'; options: Record<string, never> };
  running: { type: 'boolean'; options: Record<string, never> };
  paused: { type: 'boolean'; options: Record<string, never> };
  blackout: { type: 'boolean'; options: Record<string, never> };
  message_shown: { type: 'boolean'; options: Record<string, never> };
};

/** The viewer's phase colours, as button backgrounds (text stays white, black on warning's amber). */
export const PHASE_COLORS: Record<Phase, { bgcolor: number; color: number }> = {
  idle: { bgcolor: combineRgb(40, 40, 40), color: combineRgb(255, 255, 255) },
  normal: { bgcolor: combineRgb(0, 130, 60), color: combineRgb(255, 255, 255) },
  warning: { bgcolor: combineRgb(230, 160, 0), color: combineRgb(0, 0, 0) },
  danger: { bgcolor: combineRgb(200, 30, 30), color: combineRgb(255, 255, 255) },
  overtime: { bgcolor: combineRgb(120, 0, 90), color: combineRgb(255, 255, 255) },
};

export const PHASE_CHOICES: Array<{ id: Phase; label: string }> = [
  { id: 'idle', label: 'Idle' },
  { id: 'normal', label: 'Normal' },
  { id: 'warning', label: 'Warning' },
  { id: 'danger', label: 'Danger' },
  { id: 'overtime', label: 'Overtime' },
];

export function feedbackDefinitions(
  current: () => FeedbackState | null,
): CompanionFeedbackDefinitions<FeedbacksSchema> {
  return {
    phase: {
      type: 'boolean',
      name: 'Timer phase is…',
      description: 'True while the active timer is in the chosen phase',
      defaultStyle: PHASE_COLORS.danger,
      options: [{ type: 'dropdown', id: 'phase', label: 'Phase', default: 'danger', choices: PHASE_CHOICES }],
      callback: ({ options }) => current()?.phase === options.phase,
    },
    phase_color: {
      type: 'advanced',
      name: 'Colour by phase (normal / warning / danger / overtime)',
      description: "Sets the button's colours to the active timer's phase, as the viewer shows it",
      options: [],
      callback: () => PHASE_COLORS[current()?.phase ?? 'idle'],
    },
    running: {
      type: 'boolean',
      name: 'Timer is running',
      defaultStyle: { bgcolor: combineRgb(0, 130, 60), color: combineRgb(255, 255, 255) },
      options: [],
      callback: () => current()?.running === true,
    },
    paused: {
      type: 'boolean',
      name: 'Timer is paused',
      defaultStyle: { bgcolor: combineRgb(230, 160, 0), color: combineRgb(0, 0, 0) },
      options: [],
      callback: () => current()?.paused === true,
    },
    blackout: {
      type: 'boolean',
      name: 'Blackout is on',
      defaultStyle: { bgcolor: combineRgb(255, 255, 255), color: combineRgb(0, 0, 0) },
      options: [],
      callback: () => current()?.blackout === true,
    },
    message_shown: {
      type: 'boolean',
      name: 'A message is shown',
      defaultStyle: { bgcolor: combineRgb(0, 90, 200), color: combineRgb(255, 255, 255) },
      options: [],
      callback: () => current()?.messageShown === true,
    },
  };
}
