import { SELF } from 'cloudflare:test';
import { ORIGIN } from './support';
import type { ServerFrame } from '../protocol/agent-frames';

/*
 * Test-side agent: enrolls through the real endpoint and speaks the agent protocol over a
 * real WebSocket handed out by the Worker (which passes it to the device's hub).
 */

export async function makeEnrollmentKey(headers: Record<string, string>, body: Record<string, unknown>) {
  const res = await SELF.fetch(`${ORIGIN}/api/v1/enrollment-keys`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`enrollment key: ${res.status} ${await res.text()}`);
  return (await res.json()) as { key: string; item: { id: string }; installCommands: Record<string, string> };
}

export const MACHINE = {
  hostname: 'web-01',
  os: { platform: 'linux', distro: 'Debian GNU/Linux', release: '12', kernel: '6.1.0', arch: 'x64' },
  agentVersion: '0.1.0',
};

export async function enroll(key: string, machine = MACHINE) {
  return SELF.fetch(`${ORIGIN}/agent/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key, ...machine }),
  });
}

export interface TestAgent {
  ws: WebSocket;
  frames: ServerFrame[];
  next<T extends ServerFrame['t']>(t: T, timeoutMs?: number): Promise<Extract<ServerFrame, { t: T }>>;
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
}

export async function connectAgent(token: string): Promise<TestAgent> {
  const res = await SELF.fetch(`${ORIGIN}/agent/connect`, {
    headers: { upgrade: 'websocket', authorization: `Bearer ${token}` },
  });
  if (!res.webSocket) throw new Error(`connect refused: ${res.status} ${await res.text()}`);
  const ws = res.webSocket;
  const frames: ServerFrame[] = [];
  const waiters: (() => void)[] = [];
  let resolveClosed!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
  ws.addEventListener('message', (e) => {
    if (typeof e.data === 'string' && e.data !== 'pong') frames.push(JSON.parse(e.data));
    waiters.splice(0).forEach((w) => w());
  });
  ws.addEventListener('close', (e) => resolveClosed({ code: e.code, reason: e.reason }));
  ws.accept();
  let seen = 0;
  return {
    ws,
    frames,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    async next(t, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const i = frames.findIndex((f, idx) => idx >= seen && f.t === t);
        if (i >= 0) {
          seen = i + 1;
          return frames[i] as never;
        }
        if (Date.now() > end) throw new Error(`no ${t} frame within ${timeoutMs} ms; got ${frames.map((f) => f.t).join(',')}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
  };
}
