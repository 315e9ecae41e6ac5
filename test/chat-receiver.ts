import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';

/*
 * A local stand-in for Slack's response_url (and any chat endpoint): a plain HTTP server on
 * 127.0.0.1, started from the Node side as a vitest globalSetup, that records every request.
 * Tests (inside workerd) read what arrived with GET /_received?path=/hook/<name>.
 */

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    chatReceiverUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET' && url.pathname === '/_received') {
        const path = url.searchParams.get('path');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(received.filter((r) => !path || r.path === path)));
        return;
      }
      received.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('receiver did not bind');
  project.provide('chatReceiverUrl', `http://127.0.0.1:${address.port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
