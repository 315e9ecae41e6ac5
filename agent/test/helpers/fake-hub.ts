import * as v from 'valibot';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { AgentFrame } from '../../../protocol/agent-frames';
import { CommandPayload, type SignedCommand } from '../../../protocol/command';

/** The device and tenant a hub hands out, shared by a hub and its restarted successor. */
export interface HubIdentity {
  deviceId: string;
  tenantId: string;
  token: string;
  enrollKey: string;
  privateKey: KeyObject;
  /** Base64 of the raw 32-byte Ed25519 public key, as the real server sends it. */
  publicKeyB64: string;
}

export function newHubIdentity(): HubIdentity {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    deviceId: `dev_${randomBytes(8).toString('hex')}`,
    tenantId: `ten_${randomBytes(8).toString('hex')}`,
    token: `tdt_${randomBytes(24).toString('base64url')}`,
    enrollKey: `enr_${randomBytes(12).toString('hex')}`,
    privateKey,
    publicKeyB64: raw.toString('base64'),
  };
}

type Payload = v.InferInput<typeof CommandPayload>;
export type CommandOverrides = Partial<Omit<Payload, 'params'>> & { params?: Partial<Payload['params']> };
export interface SignedTestCommand {
  id: string;
  nonce: string;
  signed: SignedCommand;
}

/** A command signed with the tenant key, as the server would send it; `over` replaces any field. */
export function signCommand(id: HubIdentity, over: CommandOverrides = {}): SignedTestCommand {
  const now = Date.now();
  const payload = {
    v: 1,
    type: 'run_script',
    id: `cmd_${randomBytes(8).toString('hex')}`,
    deviceId: id.deviceId,
    tenantId: id.tenantId,
    issuedAt: now,
    expiresAt: now + 3600_000,
    nonce: randomBytes(16).toString('hex'),
    ...over,
    // A script by default; other command types carry exactly the params given.
    params: (over.type ?? 'run_script') === 'run_script' ? { interpreter: 'bash', script: 'true', ...over.params } : (over.params ?? {}),
  };
  const text = JSON.stringify(payload);
  const sig = sign(null, Buffer.from(text), id.privateKey).toString('base64');
  return { id: payload.id, nonce: payload.nonce, signed: { payload: text, sig } };
}

/** Any JSON signed with the tenant key, exactly as the hub forwards a signed config. */
export function signPayload(id: HubIdentity, payload: unknown): SignedCommand {
  const text = JSON.stringify(payload);
  return { payload: text, sig: sign(null, Buffer.from(text), id.privateKey).toString('base64') };
}

/** An AgentCheckConfig for this hub's device; `over` replaces any field. */
export function checkConfig(id: HubIdentity, checks: unknown[], over: Record<string, unknown> = {}) {
  return {
    v: 1,
    type: 'checks',
    deviceId: id.deviceId,
    tenantId: id.tenantId,
    version: `cfg_${randomBytes(6).toString('hex')}`,
    issuedAt: Date.now(),
    checks,
    collectors: {},
    ...over,
  };
}

export interface HubOptions {
  port?: number;
  heartbeatSeconds?: number;
  /** Acknowledge every durable frame as it arrives (the real hub's behaviour). */
  autoAck?: boolean;
  /** Accept the upgrade, then close with 4003 as for a revoked device. */
  revoked?: boolean;
}

/**
 * The server side of the agent protocol, as the agent sees it: POST /agent/enroll and the
 * /agent/connect socket with bearer auth, welcome, ping/pong and acks. Every frame the
 * agent sends is checked against the protocol schema; a bad one closes with 1008.
 */
export class FakeHub extends EventEmitter {
  readonly frames: AgentFrame[] = [];
  readonly closeCodes: number[] = [];
  readonly enrollBodies: unknown[] = [];
  pings = 0;
  connections = 0;
  autoAck: boolean;
  socket: WebSocket | null = null;
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(
    readonly id: HubIdentity,
    private readonly opts: HubOptions,
  ) {
    super();
    this.autoAck = opts.autoAck ?? true;
    this.http = createServer((req, res) => void this.onRequest(req, res));
    this.http.on('upgrade', (req, sock, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/agent/connect' || req.headers.authorization !== `Bearer ${id.token}`) {
        sock.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, sock, head, (ws) => this.onSocket(ws));
    });
  }

  static async start(id: HubIdentity, opts: HubOptions = {}): Promise<FakeHub> {
    const hub = new FakeHub(id, opts);
    await new Promise<void>((resolve, reject) => {
      hub.http.once('error', reject);
      hub.http.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    return hub;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves with the first frame (already received or future) that matches. */
  waitFor<T extends AgentFrame>(match: (f: AgentFrame) => f is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (f: AgentFrame) => boolean, timeoutMs?: number): Promise<AgentFrame>;
  waitFor(match: (f: AgentFrame) => boolean, timeoutMs = 10_000): Promise<AgentFrame> {
    const found = this.frames.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('frame', onFrame);
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${this.frames.map((f) => f.t).join(',')}`));
      }, timeoutMs);
      const onFrame = (f: AgentFrame) => {
        if (!match(f)) return;
        clearTimeout(timer);
        this.off('frame', onFrame);
        resolve(f);
      };
      this.on('frame', onFrame);
    });
  }

  /** Frames of one command, in arrival order. */
  framesOf(id: string): AgentFrame[] {
    return this.frames.filter((f) => 'id' in f && f.id === id);
  }

  send(frame: unknown): void {
    this.socket!.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  command(over: CommandOverrides = {}): SignedTestCommand {
    return signCommand(this.id, over);
  }

  sendCommand(signed: SignedCommand): void {
    this.send({ t: 'cmd', cmd: signed });
  }

  async stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
    this.wss.close();
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/agent/enroll') return reply(404, { error: { code: 'not_found', message: 'Not found' } });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { key?: string };
    this.enrollBodies.push(body);
    if (body.key !== this.id.enrollKey) {
      return reply(401, { error: { code: 'invalid_enrollment_key', message: 'Enrollment key is invalid, expired or used up' } });
    }
    reply(201, {
      deviceId: this.id.deviceId,
      deviceToken: this.id.token,
      tenantId: this.id.tenantId,
      signingPublicKey: this.id.publicKeyB64,
      heartbeatSeconds: this.opts.heartbeatSeconds ?? 60,
    });
  }

  private onSocket(ws: WebSocket): void {
    this.connections++;
    this.socket = ws;
    ws.on('close', (code) => {
      this.closeCodes.push(code);
      this.emit('close', code);
    });
    if (this.opts.revoked) {
      ws.close(4003, 'device revoked');
      return;
    }
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === 'ping') {
        this.pings++;
        ws.send('pong');
        return;
      }
      const parsed = v.safeParse(AgentFrame, JSON.parse(text));
      if (!parsed.success) {
        this.emit('invalid', text);
        ws.close(1008, 'invalid frame');
        return;
      }
      const frame = parsed.output;
      this.frames.push(frame);
      if (this.autoAck && 'fid' in frame) ws.send(JSON.stringify({ t: 'ack', fids: [frame.fid] }));
      this.emit('frame', frame);
    });
    ws.send(JSON.stringify({ t: 'welcome', deviceId: this.id.deviceId, heartbeatSeconds: this.opts.heartbeatSeconds ?? 60, serverTime: Date.now() }));
    this.emit('connection', ws);
  }
}
