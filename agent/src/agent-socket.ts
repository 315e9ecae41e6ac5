import WebSocket from 'ws';
import { CloseCode } from '../../protocol/agent-frames';
import { PING, PONG } from '../../protocol/limits';
import { Backoff } from './backoff';
import { describeError, log } from './log';

export const PING_INTERVAL_MS = 20_000;
/** Server frames are bounded; a signed script escaped as JSON is the largest legitimate one. */
const MAX_INBOUND_BYTES = 4 * 1024 * 1024;

export type SocketEnd = { kind: 'stopped' } | { kind: 'unauthorized'; detail: string };

export interface SocketHooks {
  onOpen(): void;
  onMessage(text: string): void;
  onDown(info: { code: number | null; reason: string; openForMs: number; error?: string; retryInMs: number }): void;
}

/**
 * One WebSocket to the server, reopened after every loss with jittered exponential backoff
 * until stopped or refused for good (close 4003, or HTTP 401/403 on the upgrade).
 */
export class AgentSocket {
  private ws: WebSocket | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private lastHeard = 0;
  private stopping = false;
  private resolveEnd!: (end: SocketEnd) => void;
  readonly ended = new Promise<SocketEnd>((r) => (this.resolveEnd = r));

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly hooks: SocketHooks,
    private readonly backoff = new Backoff(),
    private readonly pingIntervalMs = PING_INTERVAL_MS,
  ) {}

  start(): void {
    this.connect();
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sends if connected; durable frames are resent from the outbox otherwise. */
  send(text: string): boolean {
    if (!this.connected) return false;
    this.ws!.send(text);
    return true;
  }

  /** Closes cleanly (1000) and waits briefly for the close handshake. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const ws = this.ws;
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) {
      const closed = new Promise<void>((r) => ws.once('close', () => r()));
      ws.close(CloseCode.normal, 'agent stopping');
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
      ws.terminate();
    }
    this.resolveEnd({ kind: 'stopped' });
  }

  private connect(): void {
    if (this.stopping) return;
    let openedAt = 0;
    let refused: string | null = null;
    let lastError: string | undefined;
    const ws = new WebSocket(this.url, {
      headers: { Authorization: `Bearer ${this.token}` },
      handshakeTimeout: 15_000,
      maxPayload: MAX_INBOUND_BYTES,
      perMessageDeflate: false,
    });
    this.ws = ws;

    ws.on('open', () => {
      openedAt = Date.now();
      this.lastHeard = openedAt;
      this.pingTimer = setInterval(() => this.keepAlive(ws), this.pingIntervalMs);
      this.hooks.onOpen();
    });
    ws.on('message', (data, isBinary) => {
      this.lastHeard = Date.now();
      if (isBinary) return;
      const text = data.toString();
      if (text === PONG) return;
      this.hooks.onMessage(text);
    });
    ws.on('unexpected-response', (_req, res) => {
      // The upgrade was answered with plain HTTP: 401/403 mean the token itself is refused.
      const status = res.statusCode ?? 0;
      if (status === 401 || status === 403) refused = `server refused the device token (HTTP ${status})`;
      lastError = `HTTP ${status} on connect`;
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => {
      lastError = describeError(err);
    });
    ws.on('close', (code, reasonBuf) => {
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      const reason = reasonBuf.toString().slice(0, 200);
      const openForMs = openedAt ? Date.now() - openedAt : 0;
      if (code === CloseCode.unauthorized) refused = `server closed the connection as unauthorized (4003${reason ? `: ${reason}` : ''})`;
      if (this.stopping) return;
      if (refused) {
        this.hooks.onDown({ code, reason, openForMs, error: refused, retryInMs: -1 });
        this.resolveEnd({ kind: 'unauthorized', detail: refused });
        return;
      }
      this.backoff.connectionEnded(openForMs);
      const retryInMs = this.backoff.next({ replaced: code === CloseCode.replaced });
      this.hooks.onDown({ code: openedAt ? code : null, reason, openForMs, error: lastError, retryInMs });
      this.retryTimer = setTimeout(() => this.connect(), retryInMs);
    });
  }

  private keepAlive(ws: WebSocket): void {
    // No pong (nor anything else) for over two pings: the path is dead even if TCP has not noticed.
    if (Date.now() - this.lastHeard > 2.25 * this.pingIntervalMs) {
      log.warn('no answer from the server: dropping the connection');
      ws.terminate();
      return;
    }
    if (ws.readyState === WebSocket.OPEN) ws.send(PING);
  }
}
