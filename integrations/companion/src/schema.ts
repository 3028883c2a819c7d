/** The module's type arguments for InstanceBase (config, secrets, actions, feedbacks, variables). */
import type { ActionsSchema } from './actions.ts';
import type { ModuleConfig, ModuleSecrets } from './config.ts';
import type { FeedbacksSchema } from './feedbacks.ts';
import type { Variables } from './state.ts';

export type ModuleSchema = {
  config: ModuleConfig;
  secrets: ModuleSecrets;
  actions: ActionsSchema;
  feedbacks: FeedbacksSchema;
  variables: Variables;
};
