import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/* An alert message's fallback text: "Critical: CPU high on sim-00012 (Open)". */
const ALERT_TEXT = / on (\S+) \((Open|Acknowledged|Resolved)\)$/;

/**
 * Stands in for Slack's incoming webhook on 127.0.0.1: answers every POST 200 "ok" as Slack
 * does, and resolves waiters on the first alert message naming their hostname
 * with the status asked for.
 */
export class SlackReceiver {
  private readonly waiters = new Map<string, ((at: number | null) => void)[]>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<SlackReceiver> {
    let self: SlackReceiver | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = performance.now();
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        self?.record(at, Buffer.concat(chunks).toString('utf8'));
      });
    });
    // Keep-alive sockets from the runtime must not hold close() up.
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    self = new SlackReceiver(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** Arrival time of the first later alert message for `hostname` in `status`, or null after `timeoutMs`. */
  waitFor(hostname: string, status: 'Open' | 'Resolved', timeoutMs: number): Promise<number | null> {
    const key = `${hostname} ${status}`;
    return new Promise((resolve) => {
      const list = this.waiters.get(key) ?? [];
      this.waiters.set(key, list);
      const done = (at: number | null) => {
        clearTimeout(timer);
        const i = list.indexOf(done);
        if (i >= 0) list.splice(i, 1);
        resolve(at);
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      list.push(done);
    });
  }

  close(): Promise<void> {
    for (const list of this.waiters.values()) for (const done of [...list]) done(null);
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private record(at: number, raw: string): void {
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      return;
    }
    const text = typeof body === 'object' && body !== null && 'text' in body && typeof body.text === 'string' ? body.text : '';
    // Only a Block Kit alert message counts: its buttons' block is named after the alert.
    const blocks = typeof body === 'object' && body !== null && 'blocks' in body && Array.isArray(body.blocks) ? (body.blocks as { block_id?: unknown }[]) : [];
    const m = ALERT_TEXT.exec(text);
    if (!m || !blocks.some((b) => typeof b.block_id === 'string' && b.block_id.startsWith('tether_alert_'))) return;
    const list = this.waiters.get(`${m[1]} ${m[2]}`);
    if (list?.length) for (const done of [...list]) done(at);
  }
}
