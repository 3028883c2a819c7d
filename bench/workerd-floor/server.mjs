// bench/workerd-floor/worker.js under ONE workerd through Miniflare's API, with wrangler.toml's compatibility date and
// flags, the object SQLite-backed like Keeptime's (it stores nothing).
// node bench/workerd-floor/server.mjs --persist <dir>   prints "workerd floor listening on <url>"
import path from 'node:path';
import { parseArgs } from 'node:util';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

const { values } = parseArgs({ options: { persist: { type: 'string' } } });
if (!values.persist) throw new Error('--persist is required');
const root = path.resolve(import.meta.dirname, '../..');
const { workerOptions: w } = unstable_getMiniflareWorkerOptions(path.join(root, 'wrangler.toml'));
const options = convertV4MiniflareOptions({
  name: 'workerd-floor',
  rootPath: import.meta.dirname,
  compatibilityDate: w.compatibilityDate,
  compatibilityFlags: w.compatibilityFlags,
  modules: true,
  scriptPath: path.join(import.meta.dirname, 'worker.js'),
  durableObjects: { FLOOR: { className: 'Floor', useSQLite: true } },
  host: '127.0.0.1',
  port: 0,
});
options.logRequests = false;
options.resourcePersistencePath = path.resolve(values.persist);
const mf = new Miniflare(options);
const url = await mf.ready;
console.log(`workerd floor listening on ${url.href.replace(/\/$/, '')}`);
const stop = async () => {
  await mf.dispose();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
