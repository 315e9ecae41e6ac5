import { env } from 'cloudflare:test';
import { HUB_HEADERS } from '../contracts';

/* A real WebSocket to a hub, with its frames queued so a test can await them in order. */

type Frame = Record<string, unknown> & { t?: string };

export class TestSocket {
  readonly frames: Frame[] = [];
  private cursor = 0;
  private waiters: (() => void)[] = [];
  closeEvent: { code: number; reason: string } | null = null;

  constructor(readonly ws: WebSocket) {
    ws.accept();
    ws.addEventListener('message', (e) => {
      this.frames.push(JSON.parse(typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data)));
      this.wake();
    });
    ws.addEventListener('close', (e) => {
      this.closeEvent = { code: e.code, reason: e.reason };
      this.wake();
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame (after those already consumed) that matches; earlier ones are skipped. */
  async next(match: string | ((f: Frame) => boolean), timeoutMs = 5000): Promise<Frame> {
    const test = typeof match === 'string' ? (f: Frame) => f.t === match : match;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const f = this.frames[this.cursor++];
        if (test(f)) return f;
      }
      if (this.closeEvent) throw new Error(`socket closed (${this.closeEvent.code}) while waiting; got ${JSON.stringify(this.frames)}`);
      await this.wait(deadline);
    }
  }

  /** Frames of this type received so far (consumed or not). */
  all(t: string): Frame[] {
    return this.frames.filter((f) => f.t === t);
  }

  async closed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = performance.now() + timeoutMs;
    while (!this.closeEvent) await this.wait(deadline);
    return this.closeEvent;
  }

  close(code = 1000): void {
    try {
      this.ws.close(code, 'test done');
    } catch {
      // already closed
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private wait(deadline: number): Promise<void> {
    const left = deadline - performance.now();
    if (left <= 0) return Promise.reject(new Error(`timed out; frames so far: ${JSON.stringify(this.frames).slice(0, 2000)}`));
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.min(left, 100));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export const deviceHub = (deviceId: string) => env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(deviceId));
export const tenantHub = (tenantId: string) => env.TENANT_HUB.get(env.TENANT_HUB.idFromName(tenantId));

async function upgrade(stub: { fetch(req: Request): Promise<Response> }, headers: Record<string, string>): Promise<Response> {
  return stub.fetch(new Request('http://hub/connect', { headers: { Upgrade: 'websocket', ...headers } }));
}

export async function connectAgent(d: { deviceId: string; tenantId: string; clientId: string }): Promise<TestSocket> {
  const res = await upgrade(deviceHub(d.deviceId), {
    [HUB_HEADERS.role]: 'agent',
    [HUB_HEADERS.deviceId]: d.deviceId,
    [HUB_HEADERS.tenantId]: d.tenantId,
    [HUB_HEADERS.clientId]: d.clientId,
  });
  if (!res.webSocket) throw new Error(`agent upgrade refused: ${res.status}`);
  return new TestSocket(res.webSocket);
}

export async function connectViewer(d: { deviceId: string; tenantId: string }, userId = 'usr_viewer'): Promise<TestSocket> {
  const res = await upgrade(deviceHub(d.deviceId), {
    [HUB_HEADERS.role]: 'viewer',
    [HUB_HEADERS.deviceId]: d.deviceId,
    [HUB_HEADERS.tenantId]: d.tenantId,
    [HUB_HEADERS.userId]: userId,
  });
  if (!res.webSocket) throw new Error(`viewer upgrade refused: ${res.status}`);
  return new TestSocket(res.webSocket);
}

export async function connectDashboard(tenantId: string, clientIds: string[] | null, userId = 'usr_dash'): Promise<TestSocket> {
  const res = await upgrade(tenantHub(tenantId), {
    [HUB_HEADERS.role]: 'viewer',
    [HUB_HEADERS.tenantId]: tenantId,
    [HUB_HEADERS.userId]: userId,
    [HUB_HEADERS.clientIds]: JSON.stringify(clientIds),
  });
  if (!res.webSocket) throw new Error(`dashboard upgrade refused: ${res.status}`);
  return new TestSocket(res.webSocket);
}

/** Polls until `check` stops throwing (for effects that land after the frame that caused them). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (performance.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
