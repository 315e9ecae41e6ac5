import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { WebSocketServer, type WebSocket } from 'ws';
import * as v from 'valibot';
import { AgentFrame, type ServerFrame } from '../../protocol/agent-frames';
import { PING, PONG } from '../../protocol/limits';

/*
 * The reference point: the smallest server that speaks the agent protocol, in one Node
 * process with everything in memory. Frames are parsed with the same schemas as the real
 * hub; there is no signing, storage, tenant or database. Every figure of a real target is
 * quoted as a ratio to this one on the same machine at the same moment.
 */

const { values } = parseArgs({ options: { port: { type: 'string' }, heartbeat: { type: 'string' } } });
const port = Number(values.port);
const heartbeatSeconds = Number(values.heartbeat ?? 30);

interface Command {
  id: string;
  deviceId: string;
  status: string;
  output: string;
  exitCode: number | null;
}

const tokens = new Map<string, string>();
const sockets = new Map<string, WebSocket>();
const commands = new Map<string, Command>();
/* Shaped like an Ed25519 signature so agents parse the frame; nothing verifies it. */
const FAKE_SIG = `${'A'.repeat(86)}==`;

const send = (ws: WebSocket, frame: ServerFrame) => ws.send(JSON.stringify(frame));

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString() || 'null');
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/api/v1/health') return reply(res, 200, { ok: true });
  if (req.method === 'POST' && path === '/agent/enroll') {
    await readJson(req);
    const deviceId = `dev_${randomUUID()}`;
    const deviceToken = `tdt_${randomBytes(24).toString('base64url')}`;
    tokens.set(deviceToken, deviceId);
    return reply(res, 201, { deviceId, deviceToken, tenantId: 'ten_baseline', signingPublicKey: 'none', heartbeatSeconds });
  }
  const post = /^\/api\/v1\/devices\/([^/]+)\/commands$/.exec(path);
  if (req.method === 'POST' && post) {
    const body = (await readJson(req)) as { params?: unknown };
    const deviceId = post[1];
    const id = `cmd_${randomUUID()}`;
    const now = Date.now();
    const cmd: Command = { id, deviceId, status: 'queued', output: '', exitCode: null };
    commands.set(id, cmd);
    const payload = JSON.stringify({
      v: 1, type: 'run_script', id, deviceId, tenantId: 'ten_baseline', issuedAt: now,
      expiresAt: now + 86_400_000, nonce: randomBytes(16).toString('hex'), params: body?.params,
    });
    const ws = sockets.get(deviceId);
    if (ws) {
      send(ws, { t: 'cmd', cmd: { payload, sig: FAKE_SIG } });
      cmd.status = 'delivered';
    }
    return reply(res, 202, { command: cmd });
  }
  const get = /^\/api\/v1\/commands\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && get) {
    const cmd = commands.get(get[1]);
    return cmd ? reply(res, 200, { command: cmd }) : reply(res, 404, { error: { code: 'not_found' } });
  }
  reply(res, 404, { error: { code: 'not_found' } });
}

function onFrame(ws: WebSocket, text: string): void {
  let frame: AgentFrame;
  try {
    frame = v.parse(AgentFrame, JSON.parse(text));
  } catch {
    ws.close(1008, 'invalid frame');
    return;
  }
  if (frame.t === 'hello') return;
  if (frame.t === 'hb') return send(ws, { t: 'hb_ack', seq: frame.seq });
  const cmd = commands.get(frame.id);
  if (cmd && frame.t === 'cmd_ack') cmd.status = 'running';
  if (cmd && frame.t === 'out') cmd.output += frame.data;
  if (cmd && frame.t === 'done') {
    cmd.status = frame.status;
    cmd.exitCode = frame.exitCode;
  }
  send(ws, { t: 'ack', fids: [frame.fid] });
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const server = createServer((req, res) => {
  route(req, res).catch((err: unknown) => reply(res, 500, { error: { message: String(err) } }));
});

server.on('upgrade', (req, socket, head) => {
  const token = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const deviceId = token ? tokens.get(token) : undefined;
  if (req.url !== '/agent/connect' || !deviceId) {
    socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    sockets.get(deviceId)?.close(4001, 'replaced by a newer connection');
    sockets.set(deviceId, ws);
    send(ws, { t: 'welcome', deviceId, heartbeatSeconds, serverTime: Date.now() });
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === PING) ws.send(PONG);
      else onFrame(ws, text);
    });
    ws.on('close', () => {
      if (sockets.get(deviceId) === ws) sockets.delete(deviceId);
    });
  });
});

server.listen(port, '127.0.0.1', () => console.log(`baseline listening on ${port}`));
process.on('SIGTERM', () => process.exit(0));
