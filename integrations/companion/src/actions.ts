/**
 * Companion actions: each turns into one room command (docs/api.md, Room socket → `command`). Timer commands act on
 * the room's active timer; "select" makes another timer the active one.
 */
import type { CompanionActionDefinitions, DropdownChoice } from '@companion-module/base';
import type { RoomClientCommand } from '../../../core/protocol.ts';
import type { RoomView } from './state.ts';
import { activeAndNext } from '../../../core/rooms/now.ts';
import { LIMITS } from '../../../core/errors.ts';

export type ActionsSchema = {
  start: { options: Record<string, never> };
  pause: { options: Record<string, never> };
  resume: { options: Record<string, never> };
  toggle: { options: Record<string, never> };
  reset: { options: Record<string, never> };
  next: { options: Record<string, never> };
  previous: { options: Record<string, never> };
  adjust: { options: { seconds: number } };
  message_show: { options: { text: string; flash: boolean } };
  message_clear: { options: Record<string, never> };
  blackout: { options: { mode: 'on' | 'off' | 'toggle' } };
  select: { options: { timer: string } };
};

export interface ActionHost {
  view(): RoomView;
  run(command: RoomClientCommand): Promise<void>;
}

/** Companion's seconds limit for one adjust (the server allows ±100 days; a button needs far less). */
export const ADJUST_LIMIT_S = 24 * 3600;

/** What "toggle" does now: pause a running timer, resume a paused one, otherwise start. */
export function toggleCommand(view: RoomView): RoomClientCommand {
  const { active } = activeAndNext(view.room, view.timers);
  if (active?.state === 'running') return { type: 'pause' };
  if (active?.state === 'paused') return { type: 'resume' };
  return { type: 'start' };
}

/** Blackout on or off keeps the message text (blackout is a flag of the message). */
export function blackoutCommand(view: RoomView, mode: 'on' | 'off' | 'toggle'): RoomClientCommand {
  const m = view.message;
  const on = mode === 'toggle' ? !m?.blackout : mode === 'on';
  if (!on && (!m || m.text === '')) return { type: 'clear-message' };
  return {
    type: 'set-message',
    text: m?.text ?? '',
    flash: m?.flash ?? false,
    blackout: on,
    target: m?.target ?? 'all',
  };
}

export function timerChoices(view: RoomView): DropdownChoice<string>[] {
  return view.timers.map((t, i) => ({ id: t.id, label: `${i + 1}. ${t.label || '(untitled)'}` }));
}

export function actionDefinitions(host: ActionHost): CompanionActionDefinitions<ActionsSchema> {
  const simple = (name: string, command: () => RoomClientCommand) => ({
    name,
    options: [],
    callback: async () => host.run(command()),
  });
  const choices = timerChoices(host.view());
  return {
    start: simple('Start the active timer', () => ({ type: 'start' })),
    pause: simple('Pause the active timer', () => ({ type: 'pause' })),
    resume: simple('Resume the active timer', () => ({ type: 'resume' })),
    toggle: simple('Start / pause / resume the active timer', () => toggleCommand(host.view())),
    reset: simple('Reset the active timer', () => ({ type: 'reset' })),
    next: simple('Next timer', () => ({ type: 'next' })),
    previous: simple('Previous timer', () => ({ type: 'previous' })),
    adjust: {
      name: 'Add or remove time (active timer)',
      options: [
        {
          type: 'number',
          id: 'seconds',
          label: 'Seconds (negative removes time)',
          default: 60,
          min: -ADJUST_LIMIT_S,
          max: ADJUST_LIMIT_S,
          step: 1,
        },
      ],
      callback: async ({ options }) => {
        const s = Math.trunc(Number(options.seconds));
        if (!Number.isFinite(s) || s === 0 || Math.abs(s) > ADJUST_LIMIT_S) return;
        await host.run({ type: 'adjust', deltaMs: s * 1000 });
      },
    },
    message_show: {
      name: 'Show a message',
      options: [
        { type: 'textinput', id: 'text', label: 'Text', default: 'Wrap up' },
        { type: 'checkbox', id: 'flash', label: 'Flash', default: false },
      ],
      callback: async ({ options }) => {
        const text = String(options.text ?? '').slice(0, LIMITS.message);
        const m = host.view().message;
        await host.run({ type: 'set-message', text, flash: options.flash === true, blackout: m?.blackout ?? false });
      },
    },
    message_clear: simple('Clear the message', () => ({ type: 'clear-message' })),
    blackout: {
      name: 'Blackout on / off',
      options: [
        {
          type: 'dropdown',
          id: 'mode',
          label: 'Blackout',
          default: 'toggle',
          choices: [
            { id: 'on', label: 'On' },
            { id: 'off', label: 'Off' },
            { id: 'toggle', label: 'Toggle' },
          ],
        },
      ],
      callback: async ({ options }) => host.run(blackoutCommand(host.view(), options.mode)),
    },
    select: {
      name: 'Select a timer (make it the active one)',
      options: [
        {
          type: 'dropdown',
          id: 'timer',
          label: 'Timer',
          default: choices[0]?.id ?? '',
          choices,
          allowCustom: true,
        },
      ],
      callback: async ({ options }) => {
        const timerId = resolveTimer(host.view(), String(options.timer ?? ''));
        if (timerId) await host.run({ type: 'select', timerId });
      },
    },
  };
}

/** A timer id, or a 1-based position in the rundown typed as a custom value ("3"), or a label. */
export function resolveTimer(view: RoomView, value: string): string | null {
  const v = value.trim();
  if (!v) return null;
  if (view.timers.some((t) => t.id === v)) return v;
  if (/^\d{1,3}$/.test(v)) return view.timers[Number(v) - 1]?.id ?? null;
  return view.timers.find((t) => t.label === v)?.id ?? null;
}
