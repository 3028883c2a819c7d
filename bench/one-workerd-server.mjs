// The Worker's deploy bundle (`wrangler deploy --dry-run --outdir`) under ONE workerd, through Miniflare's API:
// no wrangler proxy in front, the compatibility date, flags and Durable Object classes read from wrangler.toml
// (wrangler's own unstable_getMiniflareWorkerOptions), SQLite-backed objects persisted to disk like wrangler dev.
// Run as its own process so that Miniflare's Node side (which receives workerd's log lines) is not the load generator.
// node bench/one-workerd-server.mjs --config wrangler.toml --bundle <dir with index.js> --persist <dir>
//   [--vars '{"K":"V"}'] [--inspector]
// prints "workerd listening on <url> inspector <ws url | none>"
import path from 'node:path';
import { parseArgs } from 'node:util';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'wrangler.toml' },
    bundle: { type: 'string' },
    persist: { type: 'string' },
    vars: { type: 'string', default: '{}' },
    inspector: { type: 'boolean', default: false },
  },
});
if (!values.bundle || !values.persist) throw new Error('--bundle and --persist are required');
const bundle = path.resolve(values.bundle);
const { workerOptions: w } = unstable_getMiniflareWorkerOptions(values.config);
const options = convertV4MiniflareOptions({
  name: 'keeptime',
  // workerd refuses module paths with `..`: the bundle's own directory is the root.
  rootPath: bundle,
  compatibilityDate: w.compatibilityDate,
  compatibilityFlags: w.compatibilityFlags,
  durableObjects: w.durableObjects,
  modules: true,
  scriptPath: path.join(bundle, 'index.js'),
  host: '127.0.0.1',
  port: 0,
  bindings: { ...w.bindings, ...JSON.parse(values.vars) },
});
// No per-request log line from Miniflare's Node side (production has none); the Worker's own console lines still go
// through workerd's stdout, as they would go to Workers Logs.
options.logRequests = false;
options.resourcePersistencePath = path.resolve(values.persist);
if (values.inspector) options.inspectorPort = 0;
const mf = new Miniflare(options);
const url = await mf.ready;
const inspector = values.inspector ? (await mf.getInspectorURL()).href : 'none';
console.log(`workerd listening on ${url.href.replace(/\/$/, '')} inspector ${inspector}`);
const stop = async () => {
  await mf.dispose();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
