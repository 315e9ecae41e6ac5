import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { AgentSocket, type SocketHooks } from '../src/agent-socket';
import { Backoff, REPLACED_FLOOR_MS } from '../src/backoff';

const servers: WebSocketServer[] = [];
const sockets: AgentSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.stop()));
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise((r) => s.close(r));
  }
});

async function server(onConnection: (ws: WebSocket, auth: string | undefined) => void): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(wss);
  wss.on('connection', (ws, req) => onConnection(ws, req.headers.authorization));
  await new Promise((r) => wss.once('listening', r));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/agent/connect`;
}

function recorder() {
  const events: string[] = [];
  const downs: Parameters<SocketHooks['onDown']>[0][] = [];
  const hooks: SocketHooks = {
    onOpen: () => events.push('open'),
    onMessage: (t) => events.push(`msg:${t}`),
    onDown: (d) => {
      downs.push(d);
      events.push(`down:${d.code}`);
    },
  };
  return { events, downs, hooks };
}

const until = async (cond: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('agent socket', () => {
  it('authenticates with the bearer token, pings as text and swallows pongs', async () => {
    const seen: string[] = [];
    const auths: (string | undefined)[] = [];
    const url = await server((ws, auth) => {
      auths.push(auth);
      ws.on('message', (d) => {
        seen.push(d.toString());
        if (d.toString() === 'ping') ws.send('pong');
      });
      ws.send('{"t":"hb_ack","seq":0}');
    });
    const r = recorder();
    const s = new AgentSocket(url, 'tdt_secret', r.hooks, new Backoff(), 100);
    sockets.push(s);
    s.start();
    await until(() => seen.filter((x) => x === 'ping').length >= 3);
    expect(auths).toEqual(['Bearer tdt_secret']);
    expect(r.events).toEqual(['open', 'msg:{"t":"hb_ack","seq":0}']);
  });

  it('drops a silent connection and reconnects', async () => {
    let connections = 0;
    const url = await server(() => {
      connections++; // never answers the pings
    });
    const r = recorder();
    const s = new AgentSocket(url, 'tdt_x', r.hooks, new Backoff(() => 0), 100);
    sockets.push(s);
    s.start();
    await until(() => connections >= 2);
    expect(r.downs[0].code).toBe(1006);
    expect(r.downs[0].openForMs).toBeGreaterThanOrEqual(200);
  });

  it('backs off for longer when a newer connection replaced it (4001)', async () => {
    const url = await server((ws) => ws.close(4001, 'replaced'));
    const r = recorder();
    const s = new AgentSocket(url, 'tdt_x', r.hooks, new Backoff(() => 0));
    sockets.push(s);
    s.start();
    await until(() => r.downs.length === 1);
    expect(r.downs[0]).toMatchObject({ code: 4001, reason: 'replaced', retryInMs: REPLACED_FLOOR_MS });
  });

  it('ends for good on 4003 and does not retry', async () => {
    let connections = 0;
    const url = await server((ws) => {
      connections++;
      ws.close(4003, 'device deleted');
    });
    const r = recorder();
    const s = new AgentSocket(url, 'tdt_x', r.hooks, new Backoff(() => 0));
    sockets.push(s);
    s.start();
    const end = await s.ended;
    expect(end).toEqual({ kind: 'unauthorized', detail: 'server closed the connection as unauthorized (4003: device deleted)' });
    await new Promise((res) => setTimeout(res, 300));
    expect(connections).toBe(1);
  });
});
