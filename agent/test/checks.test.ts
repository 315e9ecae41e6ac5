import * as v from 'valibot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CheckDef, type CheckOf } from '../../protocol/checks';
import type { CheckContext } from '../src/checks/outcome';
import { runCheck } from '../src/checks/run-check';
import { serviceCheck, type ServiceCheckDeps } from '../src/checks/service-check';
import { findExecutable } from '../src/interpreters';
import { systemdRunning } from '../src/service';
import { tempDir } from './helpers/agent-process';

/** A check as the server would send it, with the schema's defaults applied. */
const check = <T extends CheckOf<'tcp' | 'http' | 'ping' | 'script' | 'process' | 'service'>['type']>(c: { type: T } & Record<string, unknown>) =>
  v.parse(CheckDef, { key: 'k', name: 'n', severity: 'critical', ...c }) as CheckOf<T>;

const scratch = tempDir('tether-checks-');
afterAll(() => scratch.remove());
const ctx = (over: Partial<CheckContext> = {}): CheckContext => ({
  platform: process.platform,
  scratchDir: scratch.path,
  signal: new AbortController().signal,
  memory: {},
  ...over,
});

const listen = <S extends Server | HttpServer>(server: S) =>
  new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
const close = (server: Server | HttpServer) => new Promise<void>((r) => server.close(() => r()));

describe('tcp check', () => {
  it('passes when a port accepts and fails with the reason when it refuses', async () => {
    const server = createServer((s) => s.end());
    const port = await listen(server);
    const up = await runCheck(check({ type: 'tcp', host: '127.0.0.1', port }), ctx());
    expect(up).toMatchObject({ status: 'pass', value: expect.any(Number) });
    await close(server);
    const down = await runCheck(check({ type: 'tcp', host: '127.0.0.1', port }), ctx());
    expect(down.status).toBe('fail');
    expect(down.message).toContain('ECONNREFUSED');
  });
});

describe('http check', () => {
  let server: HttpServer;
  let base: string;
  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      if (req.url === '/ok') return void res.end('<html>status: all good</html>');
      if (req.url === '/down') return void res.writeHead(503).end('maintenance');
      if (req.url === '/moved') return void res.writeHead(301, { location: '/ok' }).end();
      // /hang: never answers
    });
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return close(server);
  });

  it('passes on 2xx, follows redirects, and checks the body for the marker', async () => {
    expect(await runCheck(check({ type: 'http', url: `${base}/ok`, contains: 'all good' }), ctx())).toMatchObject({ status: 'pass', value: expect.any(Number) });
    expect((await runCheck(check({ type: 'http', url: `${base}/moved`, contains: 'all good' }), ctx())).status).toBe('pass');
    const missing = await runCheck(check({ type: 'http', url: `${base}/ok`, contains: 'error-free' }), ctx());
    expect(missing.status).toBe('fail');
    expect(missing.message).toContain('does not contain "error-free"');
  });

  it('fails on an unexpected status, and can expect a redirect itself', async () => {
    const down = await runCheck(check({ type: 'http', url: `${base}/down` }), ctx());
    expect(down).toMatchObject({ status: 'fail', message: `${base}/down answered HTTP 503, expected 2xx or 3xx` });
    expect((await runCheck(check({ type: 'http', url: `${base}/moved`, expectStatus: 301 }), ctx())).status).toBe('pass');
    expect((await runCheck(check({ type: 'http', url: `${base}/ok`, expectStatus: 204 }), ctx())).status).toBe('fail');
  });

  it('fails on a timeout and on a refused connection', async () => {
    const started = Date.now();
    const hung = await runCheck(check({ type: 'http', url: `${base}/hang`, timeoutMs: 300 }), ctx());
    expect(hung).toMatchObject({ status: 'fail', message: `no answer from ${base}/hang within 300 ms` });
    expect(Date.now() - started).toBeLessThan(3000);
    const gone = createServer();
    const port = await listen(gone);
    await close(gone);
    const refused = await runCheck(check({ type: 'http', url: `http://127.0.0.1:${port}/` }), ctx());
    expect(refused.message).toContain('ECONNREFUSED');
  });
});

describe('ping check', () => {
  it('pings with the OS ping binary', async () => {
    expect(findExecutable('ping')).not.toBeNull();
    const ok = await runCheck(check({ type: 'ping', host: '127.0.0.1', timeoutMs: 2000 }), ctx());
    expect(ok).toMatchObject({ status: 'pass', value: expect.any(Number) });
    expect(ok.message).toMatch(/^127\.0\.0\.1 answered in [\d.]+ ms$/);
    // TEST-NET-2 (RFC 5737) is never routed (this sandbox itself uses TEST-NET-1).
    const lost = await runCheck(check({ type: 'ping', host: '198.51.100.1', timeoutMs: 1000 }), ctx());
    expect(lost.status).toBe('fail');
    expect(lost.message).toMatch(/^no answer from 198\.51\.100\.1 within 1000 ms/);
  });
});

describe('script check', () => {
  const script = (body: string, over: Record<string, unknown> = {}) => check({ type: 'script', interpreter: 'bash', script: body, ...over });

  it('passes on exit 0, warns on a warning code, fails on any other', async () => {
    expect(await runCheck(script('echo "backup is 2 hours old"; exit 0'), ctx())).toEqual({ status: 'pass', message: 'exit 0: backup is 2 hours old', value: 0, output: 'backup is 2 hours old' });
    expect(await runCheck(script('echo "backup is 30 hours old" >&2; exit 1'), ctx())).toMatchObject({ status: 'warning', message: 'exit 1: backup is 30 hours old' });
    expect(await runCheck(script('exit 5', { warningExitCodes: [4, 5] }), ctx())).toMatchObject({ status: 'warning', value: 5 });
    expect(await runCheck(script('echo no backup; exit 2'), ctx())).toMatchObject({ status: 'fail', message: 'exit 2: no backup' });
  });

  it('keeps the first 8 KiB of output and fails on timeout', async () => {
    const big = await runCheck(script('head -c 50000 /dev/zero | tr "\\\\0" a; echo; exit 0'), ctx());
    expect(Buffer.byteLength(big.output!)).toBe(8192);
    const started = Date.now();
    const slow = await runCheck(script('echo started; sleep 30', { timeoutSeconds: 1 }), ctx());
    expect(slow).toMatchObject({ status: 'fail', message: 'script timed out after 1 s', output: 'started' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(existsSync(join(scratch.path))).toBe(true);
  });

  it('is stopped when its check is removed or the agent stops', async () => {
    const stop = new AbortController();
    const running = runCheck(script('sleep 30'), ctx({ signal: stop.signal }));
    setTimeout(() => stop.abort(), 200);
    expect((await running).message).toContain('stopped');
  });
});

describe('process check', () => {
  it('finds running processes by name, and absent ones', async () => {
    const self = await runCheck(check({ type: 'process', process: 'node' }), ctx());
    expect(self.status).toBe('pass');
    expect(self.value).toBeGreaterThanOrEqual(1);
    expect(await runCheck(check({ type: 'process', process: 'no-such-daemon' }), ctx())).toMatchObject({ status: 'fail', message: 'no-such-daemon is not running' });
    expect((await runCheck(check({ type: 'process', process: 'no-such-daemon', expect: 'absent' }), ctx())).status).toBe('pass');
    expect((await runCheck(check({ type: 'process', process: 'node', expect: 'absent' }), ctx())).status).toBe('fail');
  });
});

describe('service check', () => {
  it('on this machine, says why it cannot check without systemd', async () => {
    const r = await runCheck(check({ type: 'service', service: 'cron' }), ctx());
    if (systemdRunning()) expect(['pass', 'fail']).toContain(r.status);
    else expect(r).toEqual({ status: 'fail', message: 'cannot check cron: systemd is not running on this machine' });
  });

  /** A service manager in memory: `up` says whether the service runs; starts succeed if `startable`. */
  function manager(up: boolean, startable: boolean) {
    const state = { up, startable, controls: [] as string[] };
    const deps: ServiceCheckDeps = {
      status: async () => (state.up ? { state: 'running', detail: 'active (running)' } : { state: 'stopped', detail: 'stopped' }),
      control: async (p) => {
        state.controls.push(p.action);
        if (state.startable) state.up = true;
        return state.startable ? { ok: true } : { ok: false, error: 'Job for nginx.service failed' };
      },
      settleMs: 0,
    };
    return { state, deps };
  }

  it('restarts a stopped service once per outage and says whether it worked', async () => {
    const c = check({ type: 'service', service: 'nginx', restart: true });
    const memory = {};
    const m = manager(false, true);
    expect(await serviceCheck(c, { platform: 'linux', memory }, m.deps)).toEqual({ status: 'warning', message: 'nginx was stopped; restarted automatically', urgent: true });
    expect(await serviceCheck(c, { platform: 'linux', memory }, m.deps)).toMatchObject({ status: 'pass' });
    // A new outage gets a new attempt; this time the restart does not help.
    m.state.up = false;
    m.state.startable = false;
    expect(await serviceCheck(c, { platform: 'linux', memory }, m.deps)).toEqual({ status: 'fail', message: 'nginx is stopped; automatic restart failed: Job for nginx.service failed' });
    expect(await serviceCheck(c, { platform: 'linux', memory }, m.deps)).toEqual({ status: 'fail', message: 'nginx is stopped; the automatic restart did not bring it back' });
    expect(m.state.controls).toEqual(['start', 'start']);
  });

  it('never touches the service without restart', async () => {
    const m = manager(false, true);
    expect(await serviceCheck(check({ type: 'service', service: 'nginx' }), { platform: 'linux', memory: {} }, m.deps)).toEqual({ status: 'fail', message: 'nginx is stopped' });
    expect(m.state.controls).toEqual([]);
  });
});
