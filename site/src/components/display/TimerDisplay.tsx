/**
 * What viewers see: the active timer's digits in its phase colour, its label,
 * the next timer, and the room message (flashing, or over a blacked-out screen). It is the viewer's countdown
 * view, so it shows only messages for all screens: a presenter-only message never reaches the audience.
 * Rendered locally every frame from timer state and the server clock estimate.
 * The control panel's preview is this same component.
 */
import type { ComponentChildren } from 'preact';
import type { RoomMessage } from '../../../../core/rooms/transition.ts';
// Link holders' views carry no owner id.
import type { RoomInfoView as RoomInfo } from '../../../../core/rooms/wire.ts';
import type { Timer } from '../../../../core/rooms/timer.ts';
import { activeAndNext, displayFrame, messageFor, sameFrame, type DisplayFrame } from '../../lib/rooms/display.ts';
import { useFrameValue } from '../common/hooks.ts';

interface TimerDisplayProps {
  room: RoomInfo | null;
  timers: Timer[];
  message: RoomMessage | null;
  /** Shown in a corner (the viewer's connection badge). */
  corner?: ComponentChildren;
  preview?: boolean;
}

const idleFrame: DisplayFrame = { text: '–:––', phase: 'idle', progress: null };

const stateWords: Partial<Record<Timer['state'], string>> = { paused: 'Paused', idle: 'Ready' };

export function TimerDisplay({ room, timers, message: roomMessage, corner, preview = false }: TimerDisplayProps) {
  const message = messageFor(roomMessage, 'audience');
  const { active, next } = activeAndNext(room, timers);
  const frame = useFrameValue((now) => (active && room ? displayFrame(active, room, now) : idleFrame), sameFrame);
  const blackout = message?.blackout === true;
  const status = active
    ? frame.phase === 'overtime'
      ? 'Overtime'
      : active.state === 'finished'
        ? 'Time is up'
        : stateWords[active.state]
    : undefined;
  return (
    <div
      class={`kt-display kt-phase-${frame.phase}${preview ? ' kt-display--preview' : ''}`}
      data-testid={preview ? 'preview-display' : 'viewer-display'}
      data-phase={frame.phase}
      data-state={active?.state ?? 'empty'}
    >
      <div class="kt-display__top">
        <span class="kt-display__label" data-testid="display-label">
          {active ? active.label || 'Timer' : (room?.name ?? '')}
        </span>
        {corner}
      </div>
      <div class="kt-display__main">
        {active ? (
          <>
            <div
              class="kt-display__digits"
              data-testid="display-digits"
              style={{ '--chars': frame.text.length }}
              aria-live="off"
            >
              {frame.text}
            </div>
            <div class="kt-display__state" data-testid="display-state">
              {status ?? ' '}
            </div>
          </>
        ) : (
          <div class="kt-display__empty" data-testid="display-empty">
            {room ? 'Waiting for the first timer' : 'Connecting…'}
          </div>
        )}
        {message && !blackout && message.text ? (
          <div
            key={`${message.text}|${message.flash}`}
            class={`kt-display__message${message.flash ? ' is-flashing' : ''}`}
            data-testid="display-message"
          >
            {message.text}
          </div>
        ) : null}
      </div>
      <div class="kt-display__bottom" data-testid="display-next">
        {next ? (
          <>
            <span class="kt-display__next-tag">Next</span>
            <span class="kt-display__next-label">{next.label || 'Timer'}</span>
          </>
        ) : (
          ' '
        )}
      </div>
      {frame.progress !== null ? (
        <div class="kt-display__progress" style={{ width: `${frame.progress * 100}%` }} />
      ) : null}
      {blackout ? (
        <div
          key={`${message?.text}|${message?.flash}`}
          class={`kt-display__blackout${message?.flash ? ' is-flashing' : ''}`}
          data-testid="display-blackout"
        >
          {message?.text}
        </div>
      ) : null}
    </div>
  );
}
