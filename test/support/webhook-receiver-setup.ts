/** vitest globalSetup: one webhook receiver for the workerd tests; its URL is `inject('webhookReceiver')`. */
import type { TestProject } from 'vitest/node';
import { startReceiver } from './webhook-receiver.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    webhookReceiver: string;
  }
}

export default async function setup(project: TestProject) {
  const receiver = await startReceiver();
  project.provide('webhookReceiver', receiver.url);
  return receiver.close;
}
