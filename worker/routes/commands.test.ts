import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, enroll, makeEnrollmentKey, MACHINE } from '../../test/agent-fixture';
import { ORIGIN, bootstrapTenant } from '../../test/support';

let owner: Awaited<ReturnType<typeof bootstrapTenant>>;
let key: string;

beforeAll(async () => {
  owner = await bootstrapTenant();
  const { clientId, siteId } = owner;
  key = (await makeEnrollmentKey(owner.headers, { name: 'cmds', clientId, siteId })).key;
});

async function newDevice() {
  return (await enroll(key)).json<{ deviceId: string; deviceToken: string; signingPublicKey: string }>();
}

function runScript(deviceId: string, body: unknown) {
  return SELF.fetch(`${ORIGIN}/api/v1/devices/${deviceId}/commands`, {
    method: 'POST',
    headers: { ...owner.headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function verify(publicKeyB64: string, payload: string, sigB64: string): Promise<boolean> {
  const raw = Uint8Array.from(atob(publicKeyB64), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  const sig = Uint8Array.from(atob(sigB64), (c) => c.charCodeAt(0));
  return crypto.subtle.verify({ name: 'Ed25519' }, key, sig, new TextEncoder().encode(payload));
}

describe('commands', () => {
  it('signs a run_script command, delivers it live, and shows the result through the API', async () => {
    const device = await newDevice();
    const agent = await connectAgent(device.deviceToken);
    await agent.next('welcome');
    agent.send({ t: 'hello', agentVersion: '0.1.0', hostname: MACHINE.hostname, os: MACHINE.os });

    const res = await runScript(device.deviceId, { type: 'run_script', params: { interpreter: 'bash', script: 'uname -a', args: ['a b', '$(x)'] } });
    expect(res.status).toBe(202);
    const { command } = await res.json<{ command: { id: string; status: string } }>();
    expect(command.status).toBe('delivered');

    const frame = await agent.next('cmd');
    expect(await verify(device.signingPublicKey, frame.cmd.payload, frame.cmd.sig)).toBe(true);
    const tampered = frame.cmd.payload.replace('uname -a', 'rm -rf /');
    expect(await verify(device.signingPublicKey, tampered, frame.cmd.sig)).toBe(false);
    const payload = JSON.parse(frame.cmd.payload);
    expect(payload).toMatchObject({
      v: 1,
      type: 'run_script',
      id: command.id,
      deviceId: device.deviceId,
      tenantId: owner.tenantId,
      params: { interpreter: 'bash', script: 'uname -a', args: ['a b', '$(x)'], timeoutSeconds: 300 },
    });
    expect(payload.expiresAt - payload.issuedAt).toBe(24 * 3600 * 1000);
    expect(payload.nonce.length).toBeGreaterThanOrEqual(16);

    agent.send({ t: 'cmd_ack', fid: 1, id: command.id });
    agent.send({ t: 'out', fid: 2, id: command.id, seq: 0, stream: 'stdout', data: 'Linux web-01 6.1.0\n' });
    agent.send({ t: 'done', fid: 3, id: command.id, status: 'succeeded', exitCode: 0, durationMs: 12, truncated: false });
    await expect.poll(() => agent.frames.filter((f) => f.t === 'ack').flatMap((f) => (f.t === 'ack' ? f.fids : []))).toEqual(
      expect.arrayContaining([1, 2, 3]),
    );

    const got = await (await SELF.fetch(`${ORIGIN}/api/v1/commands/${command.id}`, { headers: owner.headers })).json<{
      command: { status: string; exitCode: number; output: string; createdBy: string };
    }>();
    expect(got.command).toMatchObject({ status: 'succeeded', exitCode: 0, output: 'Linux web-01 6.1.0\n' });
    await expect
      .poll(async () => (await env.DB.prepare('SELECT status, output FROM commands WHERE id = ?').bind(command.id).first())!)
      .toMatchObject({ status: 'succeeded', output: 'Linux web-01 6.1.0\n' });

    const list = await (await SELF.fetch(`${ORIGIN}/api/v1/devices/${device.deviceId}/commands`, { headers: owner.headers })).json<{
      items: { id: string; output?: string }[];
    }>();
    expect(list.items.map((i) => i.id)).toEqual([command.id]);
    expect(list.items[0].output).toBeUndefined();
    agent.ws.close();
  });

  it('queues a command for an offline device and delivers it when the agent connects', async () => {
    const device = await newDevice();
    const res = await runScript(device.deviceId, { type: 'run_script', params: { interpreter: 'sh', script: 'echo later' } });
    expect(res.status).toBe(202);
    const { command } = await res.json<{ command: { id: string; status: string } }>();
    expect(command.status).toBe('queued');
    const agent = await connectAgent(device.deviceToken);
    await agent.next('welcome');
    const frame = await agent.next('cmd');
    expect(JSON.parse(frame.cmd.payload).id).toBe(command.id);
    agent.ws.close();
  });

  it('cancels a command waiting for an offline device (audited, never delivered); a sent one is 409', async () => {
    const device = await newDevice();
    const post = (path: string) => SELF.fetch(`${ORIGIN}/api/v1${path}`, { method: 'POST', headers: owner.headers });
    const queued = await (await runScript(device.deviceId, { type: 'power', params: { action: 'reboot' } })).json<{ command: { id: string } }>();
    const cancel = await post(`/commands/${queued.command.id}/cancel`);
    expect(cancel.status).toBe(200);
    expect((await cancel.json<{ command: { status: string } }>()).command.status).toBe('cancelled');
    expect((await post(`/commands/${queued.command.id}/cancel`)).status).toBe(409);
    const audit = await env.DB.prepare(`SELECT detail FROM audit_log WHERE action = 'command.cancel' AND target_id = ?`).bind(device.deviceId).first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toMatchObject({ commandId: queued.command.id });

    const agent = await connectAgent(device.deviceToken);
    await agent.next('welcome');
    const later = await (await runScript(device.deviceId, { type: 'process_list' })).json<{ command: { id: string } }>();
    const frame = await agent.next('cmd');
    // Only the later command reaches the agent: the cancelled one is gone from the queue.
    expect(JSON.parse(frame.cmd.payload).id).toBe(later.command.id);
    const refused = await post(`/commands/${later.command.id}/cancel`);
    expect(refused.status).toBe(409);
    expect((await refused.json<{ error: { message: string } }>()).error.message).toMatch(/already sent/);
    expect((await post('/commands/cmd_unknown0000/cancel')).status).toBe(404);
    agent.ws.close();
  });

  it('refuses bad commands with 400 and the issues, queuing nothing', async () => {
    const device = await newDevice();
    const cases: [unknown, string][] = [
      [{ type: 'run_script', params: { interpreter: 'cmd.exe', script: 'dir' } }, 'params.interpreter'],
      [{ type: 'run_script', params: { interpreter: 'bash' } }, 'params.script'],
      [{ type: 'run_script', params: { interpreter: 'bash', script: 'x', timeoutSeconds: -1 } }, 'params.timeoutSeconds'],
      [{ type: 'run_script', params: { interpreter: 'bash', script: 'x' }, ttlSeconds: 10 ** 9 }, 'ttlSeconds'],
      [{ type: 'format_disk', params: {} }, 'type'],
    ];
    for (const [body, path] of cases) {
      const res = await runScript(device.deviceId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = await res.json<{ error: { issues: { path: string }[] } }>();
      expect(err.error.issues.map((i) => i.path)).toContain(path);
    }
    const huge = await runScript(device.deviceId, { type: 'run_script', params: { interpreter: 'bash', script: 'x'.repeat(600 * 1024) } });
    expect(huge.status).toBe(413);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM commands WHERE device_id = ?').bind(device.deviceId).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it('answers 404 for an unknown device and an unknown command', async () => {
    expect((await runScript('dev_nope', { type: 'run_script', params: { interpreter: 'sh', script: 'true' } })).status).toBe(404);
    expect((await SELF.fetch(`${ORIGIN}/api/v1/commands/cmd_nope`, { headers: owner.headers })).status).toBe(404);
  });

  it('answers the file of a succeeded fetch_file command as a download, and 404 for anything else', async () => {
    const device = await newDevice();
    const agent = await connectAgent(device.deviceToken);
    await agent.next('welcome');
    let fid = 0;
    async function fetchWith(path: string, output: string, status = 'succeeded', truncated = false) {
      const res = await runScript(device.deviceId, { type: 'fetch_file', params: { path } });
      expect(res.status).toBe(202);
      const { command } = await res.json<{ command: { id: string; label: string; scriptId: null; jobId: null } }>();
      expect(command).toMatchObject({ label: `fetch ${path}`, scriptId: null, jobId: null });
      await agent.next('cmd');
      agent.send({ t: 'out', fid: ++fid, id: command.id, seq: 0, stream: 'stdout', data: output });
      agent.send({ t: 'done', fid: ++fid, id: command.id, status, exitCode: status === 'succeeded' ? 0 : 1, durationMs: 3, truncated });
      await expect.poll(async () => (await env.DB.prepare('SELECT status FROM commands WHERE id = ?').bind(command.id).first<{ status: string }>())!.status).toBe(status);
      return command.id;
    }
    const bytes = new Uint8Array([0, 1, 2, 255, 60, 115, 99, 114, 105, 112, 116, 62]);
    const sha256 = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const data = btoa(String.fromCharCode(...bytes));
    const result = (path: string, over: Record<string, unknown> = {}) => JSON.stringify({ path, size: bytes.length, sha256, data, ...over });
    const download = (id: string) => SELF.fetch(`${ORIGIN}/api/v1/commands/${id}/file`, { headers: owner.headers });

    const ok = await fetchWith('/var/log/r"ep\u202eort.bin', result('/var/log/r"ep\u202eort.bin'));
    const res = await download(ok);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="report.bin"; filename*=UTF-8''report.bin`);

    const win = await fetchWith('C:\\Users\\me\\notes.txt', result('C:\\Users\\me\\notes.txt'));
    expect((await download(win)).headers.get('content-disposition')).toContain('filename="notes.txt"');

    const broken = [
      await fetchWith('/a', 'not json'),
      await fetchWith('/b', result('/b', { sha256: '0'.repeat(64) })),
      await fetchWith('/c', result('/c', { size: 99 })),
      await fetchWith('/d', result('/d', { data: '***' })),
      await fetchWith('/e', result('/e'), 'failed'),
      await fetchWith('/f', result('/f'), 'succeeded', true),
    ];
    for (const id of broken) expect((await download(id)).status, id).toBe(404);
    const other = await runScript(device.deviceId, { type: 'process_list' });
    const { command } = await other.json<{ command: { id: string } }>();
    expect((await download(command.id)).status).toBe(404);
    expect((await download('cmd_nope')).status).toBe(404);
    agent.ws.close();
  });
});
