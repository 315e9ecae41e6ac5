import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { ROOT } from '../../scripts/lib/platform';

/*
 * The Worker as `wrangler deploy` bundles it, served by Miniflare's API directly: the same
 * bindings wrangler.toml declares (read through wrangler's own translation), the same state
 * layout as `wrangler dev --persist-to`, but no dev proxy and no file watcher in front.
 * Runs as its own process so its Node side never competes with the simulator's event loop.
 */

const { values } = parseArgs({
  options: { port: { type: 'string' }, persist: { type: 'string' }, script: { type: 'string' }, heartbeat: { type: 'string' } },
});
if (!values.port || !values.persist || !values.script || !values.heartbeat) {
  throw new Error('usage: miniflare-host --port N --persist DIR --script FILE --heartbeat S');
}

// The Miniflare that wrangler itself drives, so the options it translated fit it exactly.
const fromWrangler = createRequire(join(ROOT, 'node_modules/wrangler/package.json')).resolve('miniflare');
const { Log, LogLevel, Miniflare } = (await import(pathToFileURL(fromWrangler).href)) as typeof import('miniflare');

const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'));
/* Wrangler hands over the flat worker shape, which Miniflare accepts; its beta typings only
   describe the newer nested one, hence the cast. */
const options = {
  host: '127.0.0.1',
  port: Number(values.port),
  resourcePersistencePath: join(values.persist, 'v3'),
  log: new Log(LogLevel.WARN),
  workers: [
    {
      ...workerOptions,
      name: 'tether',
      modules: true,
      scriptPath: values.script,
      bindings: { ...(workerOptions.bindings as Record<string, unknown>), HEARTBEAT_SECONDS: values.heartbeat },
    },
  ],
};
const mf = new Miniflare(options as unknown as ConstructorParameters<typeof Miniflare>[0]);

const url = await mf.ready;
console.log(`miniflare ready at ${url}`);
const shutdown = () => {
  mf.dispose().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
