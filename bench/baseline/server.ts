import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { WebSocketServer, type WebSocket } from 'ws';
import * as v from 'valibot';
import { AgentFrame, type ServerFrame } from '../../protocol/agent-frames';
import { PING, PONG } from '../../protocol/limits';
import type { TenantFeedFrame } from '../../protocol/live';

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
/* The alerts scenario's check, fixed here: CPU above 90 % is a breach (bench/alerts/checks.ts). */
const CPU_THRESHOLD = 90;
/** Dashboard feed sockets (GET /api/v1/live, no auth): the relay end of the alerts path. */
const dashboards = new Set<WebSocket>();
/** Devices whose CPU check is in breach, with the alert's id and opening time. */
const breached = new Map<string, { id: string; openedAt: number }>();

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

function publish(frame: TenantFeedFrame): void {
  const text = JSON.stringify(frame);
  for (const d of dashboards) d.send(text);
}

/* The same judgement a DeviceHub makes for a threshold check, and the frame a TenantHub
   pushes, with nothing stored: what relaying a breach costs at the least. */
function judge(deviceId: string, cpu: number): void {
  const open = breached.get(deviceId);
  if ((cpu > CPU_THRESHOLD) === !!open) return;
  const now = Date.now();
  const alert = open ?? { id: `alr_${randomUUID()}`, openedAt: now };
  if (open) breached.delete(deviceId);
  else breached.set(deviceId, alert);
  publish({
    t: 'alert',
    alert: {
      id: alert.id, deviceId, clientId: 'cli_baseline', hostname: null, checkKey: 'cpu-high', checkName: 'CPU high', checkType: 'metric',
      severity: 'critical', status: open ? 'resolved' : 'open', message: `CPU ${cpu} %`, value: cpu, openedAt: alert.openedAt,
      acknowledgedAt: null, acknowledgedBy: null, resolvedAt: open ? now : null, resolvedBy: open ? 'auto' : null,
      flapping: false, suppressed: false, escalationTier: 0, transitions: 1, updatedAt: now,
    },
  });
}

function onFrame(ws: WebSocket, text: string, deviceId: string): void {
  let frame: AgentFrame;
  try {
    frame = v.parse(AgentFrame, JSON.parse(text));
  } catch {
    ws.close(1008, 'invalid frame');
    return;
  }
  // Collector state is not kept here; events and check results are only acknowledged.
  if (frame.t === 'hello' || frame.t === 'state') return;
  if (frame.t === 'events' || frame.t === 'check_results' || frame.t === 'inv' || frame.t === 'patches') return send(ws, { t: 'ack', fids: [frame.fid] });
  // Deployment progress is not durable: nothing to keep, nothing to acknowledge.
  if (frame.t === 'cmd_step') return;
  if (frame.t === 'hb') {
    send(ws, { t: 'hb_ack', seq: frame.seq });
    return judge(deviceId, frame.m.cpuPercent);
  }
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
  if (req.url === '/api/v1/live') {
    wss.handleUpgrade(req, socket, head, (ws) => {
      dashboards.add(ws);
      ws.send(JSON.stringify({ t: 'hello', serverTime: Date.now() } satisfies TenantFeedFrame));
      ws.on('message', (data) => data.toString() === PING && ws.send(PONG));
      ws.on('close', () => dashboards.delete(ws));
    });
    return;
  }
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
      else onFrame(ws, text, deviceId);
    });
    ws.on('close', () => {
      if (sockets.get(deviceId) !== ws) return;
      sockets.delete(deviceId);
      // Node sees the TCP connection end at once; there is no watchdog here.
      publish({ t: 'device', device: { id: deviceId, status: 'offline', lastSeenAt: Date.now() } });
    });
  });
});

server.listen(port, '127.0.0.1', () => console.log(`baseline listening on ${port}`));
process.on('SIGTERM', () => process.exit(0));
