/** The countdown view: today's full-screen display (messages for all screens only). */
import { TimerDisplay } from '../../display/TimerDisplay.tsx';
import type { ViewProps } from './types.ts';

export default function CountdownView({ view, corner }: ViewProps) {
  return <TimerDisplay room={view.room} timers={view.timers} message={view.message} corner={corner} />;
}
