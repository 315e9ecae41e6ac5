import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, enroll, makeEnrollmentKey, MACHINE, type TestAgent } from '../../test/agent-fixture';
import { addUser, api, bootstrapTenant, type BootstrappedTenant } from '../../test/support';
import { builtinId, CATALOG } from '../lib/scripts/catalog';
import { MAX_FETCH_FILE_BYTES, MAX_POWER_DELAY_SECONDS } from '../../protocol/limits';

let owner: BootstrappedTenant;
let device: { deviceId: string; deviceToken: string };
let agent: TestAgent;
let scriptId: string;

const PARAMS = [
  { name: 'TARGET', label: 'Target', type: 'string', required: true, maxLength: 20 },
  { name: 'COUNT', label: 'Count', type: 'number', integer: true, min: 1, max: 10, default: 3 },
  { name: 'VERBOSE', label: 'Verbose', type: 'boolean', default: false },
  { name: 'MODE', label: 'Mode', type: 'choice', options: ['fast', 'slow'], default: 'fast' },
  { name: 'TOKEN', label: 'Token', type: 'secret' },
];

beforeAll(async () => {
  owner = await bootstrapTenant();
  const { key } = await makeEnrollmentKey(owner.headers, { name: 'device-commands', clientId: owner.clientId, siteId: owner.siteId });
  device = await (await enroll(key)).json();
  agent = await connectAgent(device.deviceToken);
  await agent.next('welcome');
  agent.send({ t: 'hello', agentVersion: '0.1.0', hostname: MACHINE.hostname, os: MACHINE.os });
  const created = await api(owner, 'POST', '/scripts', {
    name: 'Ping target',
    category: 'network',
    platforms: ['linux'],
    interpreter: 'bash',
    body: 'ping -c "$PARAM_COUNT" "$PARAM_TARGET"',
    params: PARAMS,
  });
  scriptId = created.body.id;
});

/** Queues a command for the test device and answers the command and the payload the agent got. */
async function send(body: Record<string, unknown>) {
  const res = await api(owner, 'POST', `/devices/${device.deviceId}/commands`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const frame = await agent.next('cmd');
  const payload = JSON.parse(frame.cmd.payload);
  expect(payload.id).toBe(res.body.command.id);
  return { command: res.body.command, payload };
}

async function refused(body: Record<string, unknown>) {
  const res = await api(owner, 'POST', `/devices/${device.deviceId}/commands`, body);
  expect(res.status, JSON.stringify(body)).toBe(400);
  return (res.body.error.issues ?? []).map((i: { path: string }) => i.path) as string[];
}

describe('library script runs', () => {
  it('renders typed values and defaults to PARAM_* variables, the secret marked, and records the script version', async () => {
    const { command, payload } = await send({ type: 'script', scriptId, values: { TARGET: 'example.org', VERBOSE: true, TOKEN: 'hunter2-value' }, runAs: 'user' });
    expect(payload.type).toBe('run_script');
    expect(payload.params).toEqual({
      interpreter: 'bash',
      script: 'ping -c "$PARAM_COUNT" "$PARAM_TARGET"',
      args: [],
      timeoutSeconds: 300,
      env: { PARAM_TARGET: 'example.org', PARAM_COUNT: '3', PARAM_VERBOSE: 'true', PARAM_MODE: 'fast', PARAM_TOKEN: 'hunter2-value' },
      secretEnv: ['PARAM_TOKEN'],
      runAs: 'user',
    });
    expect(command).toMatchObject({ type: 'run_script', label: 'Ping target v1', scriptId, scriptVersion: 1, jobId: null });
    expect(command.params.env.PARAM_TOKEN).toBe('******');

    const audit = await env.DB.prepare("SELECT detail FROM audit_log WHERE action = 'command.create' AND detail LIKE ?").bind(`%${command.id}%`).first<{ detail: string }>();
    const detail = JSON.parse(audit!.detail);
    expect(detail).toMatchObject({ scriptId, scriptVersion: 1, env: { PARAM_TARGET: 'example.org', PARAM_TOKEN: '******' } });
    expect(audit!.detail).not.toContain('hunter2-value');
    expect(audit!.detail).not.toContain('ping -c');
  });

  it('runs a pinned older version and a built-in', async () => {
    const edited = await api(owner, 'PATCH', `/scripts/${scriptId}`, { body: 'echo v2', note: 'v2' });
    expect(edited.body.version).toBe(2);
    const old = await send({ type: 'script', scriptId, version: 1, values: { TARGET: 'a' }, timeoutSeconds: 30 });
    expect(old.payload.params).toMatchObject({ script: 'ping -c "$PARAM_COUNT" "$PARAM_TARGET"', timeoutSeconds: 30, secretEnv: [] });
    expect(old.command).toMatchObject({ scriptVersion: 1 });
    const latest = await send({ type: 'script', scriptId, values: { TARGET: 'a' } });
    expect(latest.payload.params.script).toBe('echo v2');
    expect(latest.command).toMatchObject({ scriptVersion: 2, label: 'Ping target v2' });

    const builtin = CATALOG[0];
    const run = await send({ type: 'script', scriptId: builtinId(builtin.slug) });
    expect(run.payload.params).toMatchObject({ script: builtin.body, interpreter: builtin.interpreter, timeoutSeconds: builtin.defaultTimeoutSeconds });
    expect(run.command).toMatchObject({ scriptId: builtinId(builtin.slug), scriptVersion: builtin.version });
  });

  it('refuses bad values naming the parameter, and unknown scripts and versions', async () => {
    expect(await refused({ type: 'script', scriptId, values: { TARGET: 'a', COUNT: 50 } })).toEqual(['values.COUNT']);
    expect(await refused({ type: 'script', scriptId, values: { TARGET: 'a', COUNT: 2.5 } })).toEqual(['values.COUNT']);
    expect(await refused({ type: 'script', scriptId, values: { TARGET: 'a', MODE: 'medium' } })).toEqual(['values.MODE']);
    expect(await refused({ type: 'script', scriptId, values: { TARGET: 'a', VERBOSE: 'yes' } })).toEqual(['values.VERBOSE']);
    expect(await refused({ type: 'script', scriptId, values: { TARGET: 'a', NOPE: 1 } })).toEqual(['values.NOPE']);
    expect(await refused({ type: 'script', scriptId, values: { COUNT: 2 } })).toEqual(['values.TARGET']);
    expect(await refused({ type: 'script', scriptId, values: { TARGET: 'x'.repeat(21) } })).toEqual(['values.TARGET']);
    expect(await refused({ type: 'script', scriptId, values: { lower: 'a' } })).toContain('values.lower');
    for (const body of [
      { type: 'script', scriptId: 'scr_nope' },
      { type: 'script', scriptId, version: 9, values: { TARGET: 'a' } },
      { type: 'script', scriptId: 'builtin_nope' },
    ]) {
      expect((await api(owner, 'POST', `/devices/${device.deviceId}/commands`, body)).status).toBe(404);
    }
    const n = await env.DB.prepare('SELECT count(*) AS n FROM commands WHERE device_id = ? AND status = ?').bind(device.deviceId, 'failed').first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it('masks the secret variables of an ad hoc run in what it stores', async () => {
    const { command, payload } = await send({
      type: 'run_script',
      params: { interpreter: 'sh', script: 'echo "$PARAM_KEY"', env: { PARAM_KEY: 'k-123-secret', PARAM_USER: 'bob' }, secretEnv: ['PARAM_KEY'] },
    });
    expect(payload.params.env).toEqual({ PARAM_KEY: 'k-123-secret', PARAM_USER: 'bob' });
    expect(command.params.env).toEqual({ PARAM_KEY: '******', PARAM_USER: 'bob' });
    expect(command.label).toBe('ad hoc sh script');
    const row = await env.DB.prepare('SELECT params FROM commands WHERE id = ?').bind(command.id).first<{ params: string }>();
    expect(row!.params).not.toContain('k-123-secret');
    expect(await refused({ type: 'run_script', params: { interpreter: 'sh', script: 'x', env: { PATH: '/tmp' } } })).toContain('params.env.PATH');
  });
});

describe('remote actions', () => {
  it('signs each new command type with its parameters, defaults filled in', async () => {
    const cases: [Record<string, unknown>, Record<string, unknown>, string][] = [
      [{ type: 'process_list' }, {}, 'list processes'],
      [{ type: 'power', params: { action: 'reboot' } }, { action: 'reboot', delaySeconds: 60, message: '' }, 'reboot in 60 s'],
      [{ type: 'power', params: { action: 'shutdown', delaySeconds: 0, message: 'Bye' } }, { action: 'shutdown', delaySeconds: 0, message: 'Bye' }, 'shutdown in 0 s'],
      [{ type: 'power_cancel', params: {} }, {}, 'cancel reboot / shutdown'],
      [{ type: 'fetch_file', params: { path: '/var/log/syslog' } }, { path: '/var/log/syslog', maxBytes: MAX_FETCH_FILE_BYTES }, 'fetch /var/log/syslog'],
      [{ type: 'fetch_file', params: { path: 'C:\\Windows\\win.ini', maxBytes: 100 } }, { path: 'C:\\Windows\\win.ini', maxBytes: 100 }, 'fetch C:\\Windows\\win.ini'],
      [
        { type: 'registry_read', params: { hive: 'HKLM', key: 'SOFTWARE\\Microsoft', value: 'Version' } },
        { hive: 'HKLM', key: 'SOFTWARE\\Microsoft', value: 'Version' },
        'read registry HKLM\\SOFTWARE\\Microsoft [Version]',
      ],
    ];
    for (const [body, params, label] of cases) {
      const { command, payload } = await send(body);
      expect(payload.type).toBe(body.type);
      expect(payload.params).toEqual(params);
      expect(command).toMatchObject({ type: body.type, params, label, scriptId: null });
      const audit = await env.DB.prepare("SELECT detail FROM audit_log WHERE action = 'command.create' AND detail LIKE ?").bind(`%${command.id}%`).first<{ detail: string }>();
      expect(JSON.parse(audit!.detail)).toMatchObject({ type: body.type, label, params });
    }
  });

  it('refuses bad remote actions with the issues', async () => {
    expect(await refused({ type: 'power', params: { action: 'reboot', delaySeconds: MAX_POWER_DELAY_SECONDS + 1 } })).toContain('params.delaySeconds');
    expect(await refused({ type: 'power', params: { action: 'hibernate' } })).toContain('params.action');
    expect(await refused({ type: 'power', params: { action: 'reboot', message: 'a\nb' } })).toContain('params.message');
    expect(await refused({ type: 'fetch_file', params: { path: 'relative/file' } })).toContain('params.path');
    expect(await refused({ type: 'fetch_file', params: { path: '/x', maxBytes: MAX_FETCH_FILE_BYTES + 1 } })).toContain('params.maxBytes');
    expect(await refused({ type: 'registry_read', params: { hive: 'HKXX', key: 'a' } })).toContain('params.hive');
    expect(await refused({ type: 'registry_read', params: { hive: 'HKLM', key: '\\SOFTWARE' } })).toContain('params.key');
    expect((await refused({ type: 'process_list', params: { all: true } })).length).toBeGreaterThan(0);
  });

  it('needs a technician: read-only users cannot queue commands', async () => {
    const ro = await addUser(owner, 'readonly');
    const res = await api(ro, 'POST', `/devices/${device.deviceId}/commands`, { type: 'process_list' });
    expect(res.status).toBe(403);
    const tech = await addUser(owner, 'technician');
    expect((await api(tech, 'POST', `/devices/${device.deviceId}/commands`, { type: 'power', params: { action: 'reboot' } })).status).toBe(202);
    await agent.next('cmd');
  });
});
