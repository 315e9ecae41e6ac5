import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { ROOT } from '../../scripts/lib/platform';

/*
 * The inventory scenario's platform: the Worker bundle served by Miniflare's API exactly as
 * bench/targets/miniflare-host.ts does, plus a loopback control port through which the bench
 * reads what it measures at the source: SQL on the D1 database (with D1's own meta), and
 * each DeviceHub's getInventoryStatus() (the rows D1 reported written for its inventory).
 */

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    control: { type: 'string' },
    persist: { type: 'string' },
    script: { type: 'string' },
    assets: { type: 'string' },
    heartbeat: { type: 'string' },
  },
});
if (!values.port || !values.control || !values.persist || !values.script || !values.assets || !values.heartbeat) {
  throw new Error('usage: host --port N --control N --persist DIR --script FILE --assets DIR --heartbeat S');
}

const fromWrangler = createRequire(join(ROOT, 'node_modules/wrangler/package.json')).resolve('miniflare');
const { Log, LogLevel, Miniflare, convertV4MiniflareOptions } = (await import(pathToFileURL(fromWrangler).href)) as typeof import('miniflare');

const { workerOptions: translated } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'), undefined, {
  overrides: { assets: { directory: values.assets } },
});
const { modulesRules: _rules, ...workerOptions } = translated;
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
      bindings: { ...(workerOptions.bindings as Record<string, unknown>), HEARTBEAT_SECONDS: values.heartbeat, ALLOW_LOOPBACK_TARGETS: 'true' },
    },
  ],
};
const mf = new Miniflare(convertV4MiniflareOptions(options as Parameters<typeof convertV4MiniflareOptions>[0]));
await mf.ready;

interface HubStub {
  getInventoryStatus(): Promise<{ hash: string | null; d1RowsWritten: number }>;
}

async function control(path: string, body: Record<string, unknown>): Promise<unknown> {
  if (path === '/sql') {
    const db = await mf.getD1Database('DB');
    const r = await db
      .prepare(String(body.sql))
      .bind(...((body.params as unknown[]) ?? []))
      .all();
    return { results: r.results, meta: r.meta };
  }
  if (path === '/inventory-status') {
    const ns = await mf.getDurableObjectNamespace('DEVICE_HUB');
    const out: Record<string, unknown> = {};
    for (const id of body.deviceIds as string[]) {
      const stub = ns.get(ns.idFromName(id)) as unknown as HubStub;
      out[id] = await stub.getInventoryStatus();
    }
    return out;
  }
  throw new Error(`unknown control path ${path}`);
}

createServer((req, res) => {
  let text = '';
  req.on('data', (c: Buffer) => (text += c.toString()));
  req.on('end', () => {
    control(req.url ?? '', text ? (JSON.parse(text) as Record<string, unknown>) : {}).then(
      (out) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out));
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(err instanceof Error ? err.message : String(err));
      },
    );
  });
}).listen(Number(values.control), '127.0.0.1');

console.log(`miniflare ready; control on ${values.control}`);
const shutdown = () => {
  mf.dispose().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
