/**
 * Bundled in place of zod's locales index (the `[alias]` in wrangler.toml). `import { z } from 'zod'` keeps every
 * locale reachable through `z.locales`, so esbuild cannot drop the ~60 languages (about 360 KiB raw, a fifth of the
 * Worker). The Worker only speaks English, zod's default, so `z.locales` keeps just `en`. Tests and the site use the
 * full package; `scripts/bundle-size.mjs` fails if another locale ships again.
 */
export { default as en } from 'zod/v4/locales/en.js';
