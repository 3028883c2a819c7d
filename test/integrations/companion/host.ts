/**
 * A fake Companion host for the Keeptime module: the InstanceContext that @companion-module/base's InstanceBase is
 * constructed with (v2 takes a context object instead of an IPC channel). It records what the module hands
 * Companion (definitions, variable values, status, feedback checks) and lets a test press buttons and read
 * feedbacks the way Companion would: by calling the definitions' callbacks.
 */
import type {
  CompanionActionDefinitions,
  CompanionFeedbackDefinitions,
  CompanionPresetDefinitions,
  CompanionVariableValues,
  InstanceStatus,
} from '@companion-module/base';
import KeeptimeInstance, { type ModuleSchema } from '../../../integrations/companion/src/main.ts';

export interface FakeHost {
  instance: KeeptimeInstance;
  variables: CompanionVariableValues;
  /** Every status the module reported, in order, with the time it was reported. */
  statuses: Array<{ status: InstanceStatus; message: string | null; at: number }>;
  /** Feedback types the module asked to recheck. */
  checks: string[];
  /** Every setVariableValues call's keys and time. */
  variableUpdates: Array<{ at: number; keys: string[] }>;
  actions(): CompanionActionDefinitions<ModuleSchema['actions']>;
  feedbacks(): CompanionFeedbackDefinitions<ModuleSchema['feedbacks']>;
  presets(): CompanionPresetDefinitions<ModuleSchema>;
  status(): InstanceStatus | null;
  /** Presses a button: runs the action's callback with `options`. */
  press(actionId: keyof ModuleSchema['actions'], options?: Record<string, unknown>): Promise<void>;
  /** Evaluates a feedback as Companion would. */
  feedback(feedbackId: keyof ModuleSchema['feedbacks'], options?: Record<string, unknown>): Promise<unknown>;
}

export function fakeHost(label = 'keeptime'): FakeHost {
  let actions: CompanionActionDefinitions<ModuleSchema['actions']> | null = null;
  let feedbacks: CompanionFeedbackDefinitions<ModuleSchema['feedbacks']> | null = null;
  let presets: CompanionPresetDefinitions<ModuleSchema> | null = null;
  const variables: CompanionVariableValues = {};
  const statuses: FakeHost['statuses'] = [];
  const checks: string[] = [];
  const variableUpdates: FakeHost['variableUpdates'] = [];
  const none = () => undefined;
  const context = {
    _isInstanceContext: true as const,
    id: 'keeptime-test',
    label,
    upgradeScripts: [],
    saveConfig: none,
    updateStatus: (status: InstanceStatus, message: string | null) =>
      statuses.push({ status, message, at: Date.now() }),
    oscSend: none,
    recordAction: none,
    setActionDefinitions: (a: typeof actions) => {
      actions = a;
    },
    subscribeActions: none,
    unsubscribeActions: none,
    setFeedbackDefinitions: (f: typeof feedbacks) => {
      feedbacks = f;
    },
    unsubscribeFeedbacks: none,
    checkFeedbacks: (types: string[]) => checks.push(...types),
    checkAllFeedbacks: none,
    checkFeedbacksById: none,
    setPresetDefinitions: (_s: unknown, p: typeof presets) => {
      presets = p;
    },
    setVariableDefinitions: none,
    setVariableValues: (v: CompanionVariableValues) => {
      Object.assign(variables, v);
      variableUpdates.push({ at: Date.now(), keys: Object.keys(v) });
    },
    getVariableValue: (id: string) => variables[id],
    sharedUdpSocketHandlers: new Map(),
    sharedUdpSocketJoin: async () => '',
    sharedUdpSocketLeave: async () => undefined,
    sharedUdpSocketSend: async () => undefined,
  };
  const instance = new KeeptimeInstance(context);
  const must = <T>(x: T | null, what: string): T => {
    if (!x) throw new Error(`the module set no ${what}`);
    return x;
  };
  return {
    instance,
    variables,
    statuses,
    checks,
    variableUpdates,
    actions: () => must(actions, 'actions'),
    feedbacks: () => must(feedbacks, 'feedbacks'),
    presets: () => must(presets, 'presets'),
    status: () => statuses.at(-1)?.status ?? null,
    async press(actionId, options = {}) {
      const def = must(actions, 'actions')[actionId];
      if (!def) throw new Error(`no action ${String(actionId)}`);
      const event = { id: 'a1', controlId: 'bank:1', actionId, options, surfaceId: undefined };
      // biome-ignore lint/suspicious/noExplicitAny: the callback's option type differs per action
      await def.callback(event as any, { setCustomVariableValue: none } as any);
    },
    async feedback(feedbackId, options = {}) {
      const def = must(feedbacks, 'feedbacks')[feedbackId];
      if (!def) throw new Error(`no feedback ${String(feedbackId)}`);
      const event = { type: def.type, id: 'f1', controlId: 'bank:1', feedbackId, options, previousOptions: null };
      // biome-ignore lint/suspicious/noExplicitAny: the callback's option type differs per feedback
      return def.callback(event as any, {} as any);
    },
  };
}
