/**
 * Presets for a basic 15-key Stream Deck page (5 × 3): the countdown coloured by phase, the labels, the time of day
 * and over/under on the top row; transport on the middle row; time and message keys on the bottom row.
 */
import {
  type CompanionPresetDefinitions,
  type CompanionPresetSection,
  type CompanionSimplePresetDefinition,
  combineRgb,
} from '@companion-module/base';
import type { ModuleSchema } from './schema.ts';

const WHITE = combineRgb(255, 255, 255);
const BLACK = combineRgb(0, 0, 0);
const GREY = combineRgb(40, 40, 40);
const BLUE = combineRgb(0, 70, 160);
const GREEN = combineRgb(0, 130, 60);
const AMBER = combineRgb(230, 160, 0);

/** The page, row by row: preset ids in key order. */
export const PAGE: string[][] = [
  ['countdown', 'labels', 'time_of_day', 'over_under', 'elapsed'],
  ['toggle', 'reset', 'previous', 'next', 'blackout'],
  ['minus_minute', 'plus_minute', 'plus_30s', 'wrap_up', 'clear_message'],
];

type Preset = CompanionSimplePresetDefinition<ModuleSchema>;

/** `label` is the connection's label, which Companion's variable references name (`$(label:remaining)`). */
export function presetDefinitions(label: string): {
  structure: CompanionPresetSection<ModuleSchema>[];
  presets: CompanionPresetDefinitions<ModuleSchema>;
} {
  const v = (id: string) => `$(${label}:${id})`;
  const key = (
    name: string,
    text: string,
    down: Preset['steps'][number]['down'],
    feedbacks: Preset['feedbacks'] = [],
    style: Partial<Preset['style']> = {},
  ): Preset => ({
    type: 'simple',
    name,
    style: { text, size: 'auto', color: WHITE, bgcolor: GREY, ...style },
    steps: down.length ? [{ down, up: [] }] : [],
    feedbacks,
  });
  const presets: Record<string, Preset> = {
    countdown: key('Countdown (coloured by phase)', v('remaining'), [], [{ feedbackId: 'phase_color', options: {} }], {
      size: '24',
    }),
    labels: key('Now and next', `${v('label')}\\nnext: ${v('next_label')}`, [], [], { size: '14' }),
    time_of_day: key('Time of day (server)', `TIME\\n${v('time_of_day')}`, [], [], { size: '14' }),
    over_under: key('Over/under', `O/U\\n${v('over_under')}`, [], [], { size: '14' }),
    elapsed: key('Elapsed', `ELAPSED\\n${v('elapsed')}`, [], [], { size: '14' }),
    toggle: key(
      'Start / pause',
      'START\\nPAUSE',
      [{ actionId: 'toggle', options: {} }],
      [
        { feedbackId: 'running', options: {}, style: { bgcolor: GREEN, color: WHITE, text: 'PAUSE' } },
        { feedbackId: 'paused', options: {}, style: { bgcolor: AMBER, color: BLACK, text: 'RESUME' } },
      ],
    ),
    reset: key('Reset', 'RESET', [{ actionId: 'reset', options: {} }]),
    previous: key('Previous timer', '◀\\nPREV', [{ actionId: 'previous', options: {} }]),
    next: key('Next timer', '▶\\nNEXT', [{ actionId: 'next', options: {} }]),
    blackout: key(
      'Blackout',
      'BLACK\\nOUT',
      [{ actionId: 'blackout', options: { mode: 'toggle' } }],
      [{ feedbackId: 'blackout', options: {}, style: { bgcolor: WHITE, color: BLACK } }],
    ),
    minus_minute: key('Remove a minute', '-1 MIN', [{ actionId: 'adjust', options: { seconds: -60 } }], [], {
      bgcolor: BLUE,
    }),
    plus_minute: key('Add a minute', '+1 MIN', [{ actionId: 'adjust', options: { seconds: 60 } }], [], {
      bgcolor: BLUE,
    }),
    plus_30s: key('Add 30 seconds', '+30 S', [{ actionId: 'adjust', options: { seconds: 30 } }], [], {
      bgcolor: BLUE,
    }),
    wrap_up: key(
      'Message: wrap up',
      'WRAP\\nUP',
      [{ actionId: 'message_show', options: { text: 'Please wrap up', flash: true } }],
      [{ feedbackId: 'message_shown', options: {}, style: { bgcolor: combineRgb(0, 90, 200), color: WHITE } }],
    ),
    clear_message: key('Clear the message', 'CLEAR\\nMSG', [{ actionId: 'message_clear', options: {} }]),
  };
  const structure: CompanionPresetSection<ModuleSchema>[] = [
    {
      id: 'keeptime',
      name: 'Keeptime',
      description: 'A basic Stream Deck page for one room',
      definitions: [
        { id: 'display', type: 'simple', name: 'Display', presets: PAGE[0] as string[] },
        { id: 'transport', type: 'simple', name: 'Transport', presets: PAGE[1] as string[] },
        { id: 'time', type: 'simple', name: 'Time and messages', presets: PAGE[2] as string[] },
      ],
    },
  ];
  return { structure, presets };
}
