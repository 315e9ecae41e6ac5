import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { ROOT } from '../../scripts/lib/platform';
import { serveControl } from './miniflare-control';

/*
 * The Worker as `wrangler deploy` bundles it, served by Miniflare's API directly: the same
 * bindings wrangler.toml declares (read through wrangler's own translation), the same state
 * layout as `wrangler dev --persist-to`, but no dev proxy and no file watcher in front.
 * Runs as its own process so its Node side never competes with the simulator's event loop.
 */

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    persist: { type: 'string' },
    script: { type: 'string' },
    assets: { type: 'string' },
    heartbeat: { type: 'string' },
    /** Opens workerd's inspector on this port (for bench/profile.ts). */
    inspect: { type: 'string' },
    /** Serves ./miniflare-control.ts on this port (for the inventory scenario). */
    control: { type: 'string' },
  },
});
if (!values.port || !values.persist || !values.script || !values.assets || !values.heartbeat) {
  throw new Error('usage: miniflare-host --port N --persist DIR --script FILE --assets DIR --heartbeat S');
}

// The Miniflare that wrangler itself drives, so the options it translated fit it exactly.
const fromWrangler = createRequire(join(ROOT, 'node_modules/wrangler/package.json')).resolve('miniflare');
const { Log, LogLevel, Miniflare, convertV4MiniflareOptions } = (await import(pathToFileURL(fromWrangler).href)) as typeof import('miniflare');

const { workerOptions: translated } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'), undefined, {
  overrides: { assets: { directory: values.assets } },
});
// Module rules only matter for unbundled sources; the input here is one bundled ES module.
const { modulesRules: _rules, ...workerOptions } = translated;
/* Wrangler hands over the flat (v4) worker shape and converts it the same way before it
   starts its own Miniflare. */
const options = {
  host: '127.0.0.1',
  port: Number(values.port),
  resourcePersistencePath: join(values.persist, 'v3'),
  log: new Log(LogLevel.WARN),
  ...(values.inspect ? { inspectorPort: Number(values.inspect) } : {}),
  workers: [
    {
      ...workerOptions,
      name: 'tether',
      modules: true,
      scriptPath: values.script,
      bindings: { ...(workerOptions.bindings as Record<string, unknown>), HEARTBEAT_SECONDS: values.heartbeat, ALLOW_LOOPBACK_TARGETS: 'true' },
    },
  ],
};
const mf = new Miniflare(convertV4MiniflareOptions(options as Parameters<typeof convertV4MiniflareOptions>[0]));

const url = await mf.ready;
if (values.control) serveControl(mf, Number(values.control));
console.log(`miniflare ready at ${url}${values.control ? `; control on ${values.control}` : ''}`);
const shutdown = () => {
  mf.dispose().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
