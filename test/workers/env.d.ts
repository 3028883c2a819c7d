/** Types for `cloudflare:workers` / `cloudflare:test` inside the workers test pool. */
type KeeptimeEnv = import('../../durable-objects/platform/env.ts').Env;

declare namespace Cloudflare {
  interface Env extends KeeptimeEnv {}
  interface GlobalProps {
    mainModule: typeof import('../../worker/index.ts');
    durableNamespaces: 'TimerRoom' | 'Account' | 'RateLimiter';
  }
}
