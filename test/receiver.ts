import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';

/*
 * A local stand-in for any HTTP target (webhook receivers, Slack, Teams): a plain server on
 * 127.0.0.1, started from the Node side as a vitest globalSetup. It records every request
 * (method, path, headers, raw body) and answers 200 "ok" unless told otherwise per path.
 * Tests inside workerd drive it through test/receiver-client.ts:
 *   GET  /__receiver/requests?path=/p      what arrived at /p, oldest first
 *   POST /__receiver/respond {path, statuses, otherwise?, body?}
 *        answer the next requests to `path` with `statuses` in turn, then `otherwise` (200)
 */

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

interface Script {
  statuses: number[];
  otherwise: number;
  body: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    receiverUrl: string;
  }
}

export function startReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const received: Received[] = [];
  const scripts = new Map<string, Script>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      const reply = (status: number, text: string, type = 'text/plain') => {
        res.writeHead(status, { 'content-type': type });
        res.end(text);
      };
      if (url.pathname === '/__receiver/requests') {
        const path = url.searchParams.get('path');
        return reply(200, JSON.stringify(received.filter((r) => r.path === path)), 'application/json');
      }
      if (url.pathname === '/__receiver/respond' && req.method === 'POST') {
        const s = JSON.parse(body) as { path: string; statuses?: number[]; otherwise?: number; body?: string };
        scripts.set(s.path, { statuses: [...(s.statuses ?? [])], otherwise: s.otherwise ?? 200, body: s.body ?? 'ok' });
        return reply(204, '');
      }
      received.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body, at: Date.now() });
      const script = scripts.get(url.pathname);
      const status = script ? (script.statuses.shift() ?? script.otherwise) : 200;
      reply(status, script?.body ?? 'ok');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address === 'string') return reject(new Error('receiver did not bind'));
      resolve({ url: `http://127.0.0.1:${address.port}`, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

/** vitest globalSetup: one receiver for the run, its URL provided as `receiverUrl`. */
export default async function setup(project: TestProject) {
  const receiver = await startReceiver();
  project.provide('receiverUrl', receiver.url);
  return receiver.close;
}
