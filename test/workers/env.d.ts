/** Types for `cloudflare:workers` / `cloudflare:test` inside the workers test pool. */
type KeeptimeEnv = import('../../worker/env.ts').Env;

declare namespace Cloudflare {
  interface Env extends KeeptimeEnv {}
  interface GlobalProps {
    mainModule: typeof import('../../worker/index.ts');
    durableNamespaces: 'TimerRoom' | 'Account' | 'RateLimiter';
  }
}
