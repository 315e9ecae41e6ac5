import { createServer } from 'node:http';
import type { Miniflare } from 'miniflare';
import type { InventoryStatus } from '../../durable/contracts';

/*
 * A loopback control port beside the Miniflare host, through which a scenario reads what it
 * measures at the source: SQL on the D1 database (with D1's own meta), and each DeviceHub's
 * getInventoryStatus() (the rows D1 reported written for its inventory).
 */

interface HubStub {
  getInventoryStatus(): Promise<InventoryStatus>;
}

async function answer(mf: Miniflare, path: string, body: Record<string, unknown>): Promise<unknown> {
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
    const ids = body.deviceIds as string[];
    const statuses = await Promise.all(ids.map((id) => (ns.get(ns.idFromName(id)) as unknown as HubStub).getInventoryStatus()));
    return Object.fromEntries(ids.map((id, i) => [id, statuses[i]]));
  }
  throw new Error(`unknown control path ${path}`);
}

export function serveControl(mf: Miniflare, port: number): void {
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      answer(mf, req.url ?? '', text ? (JSON.parse(text) as Record<string, unknown>) : {}).then(
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
  });
  // The bench's fetch() keeps its connection for the next question, which may come minutes
  // later (after building 1,000 diffs); Node would have closed it after 5 s idle, and the
  // reused socket then fails with "other side closed".
  server.keepAliveTimeout = 0;
  server.requestTimeout = 0;
  server.listen(port, '127.0.0.1');
}
