// `wrangler dev` refuses to start while the configured assets directory (site/dist) is missing, as it is in a
// fresh clone. API-only runs (benchmarks, mirror tests) point it at an empty directory instead of building the site.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Extra `wrangler dev` arguments: none when site/dist exists, else `--assets <empty temp dir>`.
 * @param {string} root the repository root
 * @returns {string[]}
 */
export function assetsArgs(root) {
  if (fs.existsSync(path.join(root, 'site', 'dist'))) return [];
  return ['--assets', fs.mkdtempSync(path.join(os.tmpdir(), 'kt-no-assets-'))];
}
