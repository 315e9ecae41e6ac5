import { env, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, ORIGIN, type BootstrappedTenant } from '../test/support';
import { enrollDevices, JobAgent, jobOf, script, sleep, targets, waitOnline, type Received } from './testing/jobs';
import { TestSocket } from './testing/sockets';

let owner: BootstrappedTenant;
const open: { close(): void }[] = [];

beforeAll(async () => {
  owner = await bootstrapTenant();
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

async function connectAll(devices: Awaited<ReturnType<typeof enrollDevices>>) {
  const agents = await Promise.all(devices.map((d) => JobAgent.connect(d)));
  open.push(...agents);
  await waitOnline(devices.map((d) => d.deviceId));
  return agents;
}

async function createJob(body: Record<string, unknown>) {
  const res = await api(owner, 'POST', '/jobs', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; status: string };
}

const hub = () => env.TENANT_HUB.get(env.TENANT_HUB.idFromName(owner.tenantId));

/** Moves a job's deadline (D1 and the hub's timer) to now and runs the hub's alarm. */
async function expireNow(jobId: string) {
  const now = Date.now();
  await env.DB.prepare('UPDATE jobs SET expires_at = ? WHERE id = ?').bind(now - 1, jobId).run();
  await runInDurableObject(hub(), (_obj, state) => {
    state.storage.sql.exec('UPDATE schedule SET due_at = ? WHERE key = ?', now - 1, `job_expire:${jobId}`);
  });
  await runInDurableObject(hub(), async (_obj, state) => {
    await state.storage.setAlarm(now);
  });
  expect(await runDurableObjectAlarm(hub())).toBe(true);
}

describe('bulk jobs in the TenantHub', () => {
  it('runs a job over 12 devices never more than 3 at a time, and completes it', async () => {
    const devices = await enrollDevices(owner, owner, 12, 'conc');
    const agents = await connectAll(devices);
    const job = await createJob({ action: script('uptime'), target: { deviceIds: devices.map((d) => d.deviceId) }, concurrency: 3 });
    expect(job.status).toBe('running');

    const finished = new Set<string>();
    let most = 0;
    const deadline = Date.now() + 15_000;
    const waiting = (): [JobAgent, Received][] => agents.flatMap((a) => a.poll().filter((r) => !finished.has(r.id)).map((r) => [a, r] as [JobAgent, Received]));
    while (finished.size < 12 && Date.now() < deadline) {
      if (waiting().length === 0) {
        await sleep(20);
        continue;
      }
      // Let the rest of a dispatch arrive (and the hub send more, if it wrongly would), then answer one.
      await sleep(60);
      const now = waiting();
      most = Math.max(most, now.length);
      const [agent, cmd] = now[0]!;
      agent.finish(cmd.id, 'succeeded', 0, 'up 3 days\n');
      finished.add(cmd.id);
    }
    expect(finished.size).toBe(12);
    expect(most).toBe(3);
    await expect.poll(() => jobOf(owner, job.id), { timeout: 5000 }).toMatchObject({
      status: 'completed',
      counts: { total: 12, pending: 0, active: 0, succeeded: 12, failed: 0, skipped: 0 },
    });
    // Every device got exactly one command, signed for it, carrying the job id in history.
    for (const a of agents) {
      expect(a.received).toHaveLength(1);
      expect(a.received[0]!.payload.deviceId).toBe(a.device.deviceId);
    }
    const rows = await env.DB.prepare('SELECT job_id, created_by, label FROM commands WHERE job_id = ?').bind(job.id).all();
    expect(rows.results).toHaveLength(12);
    expect(rows.results[0]).toMatchObject({ created_by: owner.userId, label: 'ad hoc sh script' });
    expect((await targets(job.id)).every((t) => t.status === 'succeeded' && t.exit_code === 0)).toBe(true);
  });

  it('sends it to an offline device when it connects, until the job expires; then it is expired', async () => {
    const [early, late, never] = await enrollDevices(owner, owner, 3, 'off');
    const [earlyAgent] = await connectAll([early!]);
    const job = await createJob({ action: script('hostname'), target: { deviceIds: [early!.deviceId, late!.deviceId, never!.deviceId] } });
    await expect.poll(() => earlyAgent!.poll().length, { timeout: 5000 }).toBe(1);
    earlyAgent!.finish(earlyAgent!.received[0]!.id, 'succeeded', 0);
    await expect.poll(async () => (await jobOf(owner, job.id)).counts, { timeout: 5000 }).toMatchObject({ succeeded: 1, pending: 2 });
    expect((await jobOf(owner, job.id)).status).toBe('running');

    // It comes back: the job reaches it without anyone asking again.
    const [lateAgent] = await connectAll([late!]);
    await expect.poll(() => lateAgent!.poll().length, { timeout: 5000 }).toBe(1);
    lateAgent!.finish(lateAgent!.received[0]!.id, 'failed', 3);
    await expect.poll(async () => (await jobOf(owner, job.id)).counts, { timeout: 5000 }).toMatchObject({ succeeded: 1, failed: 1, pending: 1 });

    await expireNow(job.id);
    await expect.poll(() => jobOf(owner, job.id), { timeout: 5000 }).toMatchObject({
      status: 'expired',
      counts: { total: 3, pending: 0, succeeded: 1, failed: 1, skipped: 1 },
    });
    const byDevice = new Map((await targets(job.id)).map((t) => [t.device_id, t]));
    expect(byDevice.get(never!.deviceId)).toMatchObject({ status: 'expired', command_id: null });
    expect(byDevice.get(late!.deviceId)).toMatchObject({ status: 'failed', exit_code: 3 });

    // Too late now: connecting sends nothing.
    const [neverAgent] = await connectAll([never!]);
    await sleep(400);
    expect(neverAgent!.poll()).toHaveLength(0);
    // And a retry after expiry is refused.
    expect((await api(owner, 'POST', `/jobs/${job.id}/retry`)).status).toBe(409);
  });

  it('expires a job nobody approved before its deadline: nothing runs, approving it after is refused', async () => {
    const devices = await enrollDevices(owner, owner, 2, 'unapproved');
    const agents = await connectAll(devices);
    expect((await api(owner, 'PATCH', '/settings/automation', { approvalThreshold: 1 })).status).toBe(200);
    try {
      const job = await createJob({ action: script('hostname'), target: { deviceIds: devices.map((d) => d.deviceId) } });
      expect(job.status).toBe('awaiting_approval');
      // The hub hears of it in the background, and sets the deadline's timer.
      await expect
        .poll(() => runInDurableObject(hub(), (_o, state) => state.storage.sql.exec('SELECT 1 FROM schedule WHERE key = ?', `job_expire:${job.id}`).toArray().length), { timeout: 5000 })
        .toBe(1);
      await expireNow(job.id);
      await expect.poll(() => jobOf(owner, job.id), { timeout: 5000 }).toMatchObject({ status: 'expired', counts: { total: 2, pending: 0, skipped: 2 } });
      const approver = await addUser(owner, 'admin');
      expect((await api(approver, 'POST', `/jobs/${job.id}/approve`)).status).toBe(409);
      await sleep(300);
      for (const a of agents) expect(a.poll()).toHaveLength(0);
    } finally {
      await api(owner, 'PATCH', '/settings/automation', { approvalThreshold: 25 });
    }
  });

  it('pushes the job frame to a dashboard, and the command frames carry the job id', async () => {
    const devices = await enrollDevices(owner, owner, 2, 'live');
    const agents = await connectAll(devices);
    const res = await SELF.fetch(`${ORIGIN}/api/v1/live`, { headers: { ...owner.headers, Upgrade: 'websocket' } });
    expect(res.status).toBe(101);
    const dash = new TestSocket(res.webSocket!);
    open.push(dash);
    await dash.next('hello');
    // Users limited to the job's client see it; users limited to another client do not.
    const other = await api(owner, 'POST', '/clients', { name: `Elsewhere ${Date.now()}` });
    const scoped = async (clientId: string) => {
      const user = await addUser(owner, 'technician', [clientId]);
      const r = await SELF.fetch(`${ORIGIN}/api/v1/live`, { headers: { ...user.headers, Upgrade: 'websocket' } });
      const socket = new TestSocket(r.webSocket!);
      open.push(socket);
      await socket.next('hello');
      return socket;
    };
    const sameClient = await scoped(owner.clientId);
    const otherClient = await scoped(other.body.id);
    const job = await createJob({ action: script(), target: { deviceIds: devices.map((d) => d.deviceId) } });
    for (const a of agents) {
      await expect.poll(() => a.poll().length, { timeout: 5000 }).toBe(1);
      a.finish(a.received[0]!.id, 'succeeded', 0);
    }
    const last = await dash.next((f) => f.t === 'job' && (f.job as { status: string }).status === 'completed', 5000);
    expect(last.job).toMatchObject({ id: job.id, counts: { total: 2, succeeded: 2 } });
    await sameClient.next((f) => f.t === 'job' && (f.job as { status: string }).status === 'completed', 5000);
    expect(otherClient.all('job')).toHaveLength(0);
    // Results are pushed as they come; the job's frame follows its flush.
    const jobCommands = dash.all('command').filter((f) => (f.command as { jobId?: string }).jobId === job.id);
    expect(jobCommands.map((f) => (f.command as { status: string }).status)).toContain('succeeded');
  });

  it('retries only the devices where it failed, timed out or was interrupted', async () => {
    const devices = await enrollDevices(owner, owner, 3, 'retry');
    const [ok, bad, slow] = await connectAll(devices);
    const job = await createJob({ action: script('flaky'), target: { deviceIds: devices.map((d) => d.deviceId) } });
    for (const a of [ok!, bad!, slow!]) await expect.poll(() => a.poll().length, { timeout: 5000 }).toBe(1);
    ok!.finish(ok!.received[0]!.id, 'succeeded', 0);
    bad!.finish(bad!.received[0]!.id, 'failed', 1);
    slow!.finish(slow!.received[0]!.id, 'timed_out', null);
    await expect.poll(() => jobOf(owner, job.id), { timeout: 5000 }).toMatchObject({ status: 'completed', counts: { succeeded: 1, failed: 2 } });

    const retried = await api(owner, 'POST', `/jobs/${job.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('running');
    for (const a of [bad!, slow!]) await expect.poll(() => a.poll().length, { timeout: 5000 }).toBe(2);
    bad!.finish(bad!.received[1]!.id, 'succeeded', 0);
    slow!.finish(slow!.received[1]!.id, 'succeeded', 0);
    await expect.poll(() => jobOf(owner, job.id), { timeout: 5000 }).toMatchObject({ status: 'completed', counts: { succeeded: 3, failed: 0 } });
    expect(ok!.poll()).toHaveLength(1);
    const attempts = new Map((await targets(job.id)).map((t) => [t.device_id, t.attempt]));
    expect([attempts.get(ok!.device.deviceId), attempts.get(bad!.device.deviceId), attempts.get(slow!.device.deviceId)]).toEqual([1, 2, 2]);
    // Nothing failed now: nothing to retry.
    expect((await api(owner, 'POST', `/jobs/${job.id}/retry`)).status).toBe(409);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'job.retry' AND target_id = ?").bind(job.id).first<{ n: number }>();
    expect(audit!.n).toBe(1);
  });

  it('cancel skips devices not yet sent it; a run in progress finishes; a device returning later gets nothing', async () => {
    const devices = await enrollDevices(owner, owner, 4, 'cancel');
    const [first, second] = await connectAll(devices.slice(0, 2));
    const job = await createJob({ action: script('long'), target: { deviceIds: devices.map((d) => d.deviceId) }, concurrency: 1 });
    const busy = await (async () => {
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        const got = [first!, second!].find((a) => a.poll().length > 0);
        if (got) return got;
        await sleep(20);
      }
      throw new Error('no device received the job');
    })();
    const cancelled = await api(owner, 'POST', `/jobs/${job.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', counts: { total: 4, active: 1, skipped: 3, pending: 0 } });
    busy.finish(busy.received[0]!.id, 'succeeded', 0);
    await expect.poll(async () => (await jobOf(owner, job.id)).counts, { timeout: 5000 }).toMatchObject({ succeeded: 1, skipped: 3, active: 0 });
    const [back] = await connectAll([devices[3]!]);
    await sleep(400);
    expect(back!.poll()).toHaveLength(0);
    expect([first!, second!].reduce((n, a) => n + a.poll().length, 0)).toBe(1);
    expect((await api(owner, 'POST', `/jobs/${job.id}/cancel`)).status).toBe(409);
    const row = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'job.cancel' AND target_id = ?").bind(job.id).first<{ n: number }>();
    expect(row!.n).toBe(1);
  });

  it('cancel withdraws a command still waiting in its DeviceHub, so the device never gets it', async () => {
    const [device] = await enrollDevices(owner, owner, 1, 'withdraw');
    // Online as far as D1 knows, but no agent is there to take it: the command waits in the hub.
    await env.DB.prepare("UPDATE devices SET status = 'online' WHERE id = ?").bind(device!.deviceId).run();
    const job = await createJob({ action: script('queued'), target: { deviceIds: [device!.deviceId] } });
    await expect.poll(async () => (await targets(job.id))[0]!.status, { timeout: 5000 }).toBe('queued');
    const commandId = (await targets(job.id))[0]!.command_id!;
    expect((await api(owner, 'POST', `/jobs/${job.id}/cancel`)).status).toBe(200);
    await expect.poll(() => jobOf(owner, job.id), { timeout: 5000 }).toMatchObject({ status: 'cancelled', counts: { active: 0, skipped: 1 } });
    await expect.poll(async () => (await env.DB.prepare('SELECT status FROM commands WHERE id = ?').bind(commandId).first<{ status: string }>())!.status, { timeout: 5000 }).toBe('cancelled');
    const [agent] = await connectAll([device!]);
    await sleep(400);
    expect(agent!.poll()).toHaveLength(0);
  });

  it('keeps secret values out of D1: sealed while the job waits, gone when it ends, masked in history', async () => {
    const now = Date.now();
    const scriptId = `scr_secret${now}`;
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO scripts (id, tenant_id, name, description, category, platforms, tags, client_ids, version, created_by, created_at, updated_at)
         VALUES (?, ?, 'Rotate key', 'rotates', 'security', '["linux"]', '[]', NULL, 1, ?, ?, ?)`,
      ).bind(scriptId, owner.tenantId, owner.userId, now, now),
      env.DB.prepare(
        `INSERT INTO script_versions (script_id, version, tenant_id, interpreter, body, params, default_timeout_seconds, note, created_by, created_at)
         VALUES (?, 1, ?, 'sh', 'rotate "$PARAM_USER" "$PARAM_TOKEN"', ?, 60, '', ?, ?)`,
      ).bind(
        scriptId,
        owner.tenantId,
        JSON.stringify([
          { name: 'USER', label: 'User', type: 'string', required: true },
          { name: 'TOKEN', label: 'Token', type: 'secret', required: true },
        ]),
        owner.userId,
        now,
      ),
    ]);
    const [online, offline] = await enrollDevices(owner, owner, 2, 'secret');
    const [agent] = await connectAll([online!]);
    const SECRET = 'hunter2-very-secret';
    const job = await createJob({
      action: { type: 'script', scriptId, values: { USER: 'alice', TOKEN: SECRET } },
      target: { deviceIds: [online!.deviceId, offline!.deviceId] },
    });
    await expect.poll(() => agent!.poll().length, { timeout: 5000 }).toBe(1);
    const payload = agent!.received[0]!.payload;
    expect(payload.params.env).toMatchObject({ PARAM_USER: 'alice', PARAM_TOKEN: SECRET });
    expect(payload.params.secretEnv).toEqual(['PARAM_TOKEN']);
    agent!.finish(agent!.received[0]!.id, 'succeeded', 0);

    // While the offline device may still get it, the value is sealed, never in clear.
    const waiting = await env.DB.prepare('SELECT action, secrets_enc FROM jobs WHERE id = ?').bind(job.id).first<{ action: string; secrets_enc: string | null }>();
    expect(waiting!.secrets_enc).toMatch(/^v1\./);
    expect(waiting!.secrets_enc).not.toContain(SECRET);
    expect(waiting!.action).not.toContain(SECRET);
    expect(JSON.parse(waiting!.action)).toMatchObject({ scriptId, version: 1, values: { USER: 'alice' } });

    // The device returns and gets the real value, signed.
    const [late] = await connectAll([offline!]);
    await expect.poll(() => late!.poll().length, { timeout: 5000 }).toBe(1);
    expect(late!.received[0]!.payload.params.env.PARAM_TOKEN).toBe(SECRET);
    late!.finish(late!.received[0]!.id, 'failed', 1);
    await expect.poll(async () => (await jobOf(owner, job.id)).status, { timeout: 5000 }).toBe('completed');
    // Its secret values are gone with it, so it cannot be sent again.
    const retry = await api(owner, 'POST', `/jobs/${job.id}/retry`);
    expect(retry.status).toBe(409);
    expect(retry.body.error.message).toContain('secret values');

    const ended = await env.DB.prepare('SELECT secrets_enc FROM jobs WHERE id = ?').bind(job.id).first<{ secrets_enc: string | null }>();
    expect(ended!.secrets_enc).toBeNull();
    const cmds = await env.DB.prepare('SELECT params, script_id, script_version, label FROM commands WHERE job_id = ?').bind(job.id).all<{ params: string; script_id: string; script_version: number; label: string }>();
    expect(cmds.results).toHaveLength(2);
    for (const c of cmds.results) {
      expect(c.params).not.toContain(SECRET);
      expect(JSON.parse(c.params).env).toMatchObject({ PARAM_USER: 'alice' });
      expect(c).toMatchObject({ script_id: scriptId, script_version: 1, label: 'Rotate key v1' });
    }
    const audit = await env.DB.prepare('SELECT detail FROM audit_log WHERE target_id = ?').bind(job.id).all<{ detail: string }>();
    expect(audit.results.length).toBeGreaterThan(0);
    for (const a of audit.results) expect(a.detail).not.toContain(SECRET);
    // The job answer shows the values masked.
    expect(JSON.stringify((await jobOf(owner, job.id)).action)).not.toContain(SECRET);
  });

  it('deletes command history past the tenant retention in its daily pass, and keeps the rest', async () => {
    const [device] = await enrollDevices(owner, owner, 1, 'retain');
    const now = Date.now();
    const row = (id: string, createdAt: number) =>
      env.DB.prepare(
        `INSERT INTO commands (id, tenant_id, device_id, type, params, status, created_by, created_at, expires_at, output) VALUES (?, ?, ?, 'run_script', '{}', 'succeeded', ?, ?, ?, 'old output')`,
      ).bind(id, owner.tenantId, device!.deviceId, owner.userId, createdAt, createdAt + 1000);
    await env.DB.batch([row('cmd_retain_old', now - 40 * 86_400_000), row('cmd_retain_new', now - 20 * 86_400_000)]);
    expect((await api(owner, 'PATCH', '/settings/automation', { historyRetentionDays: 30 })).status).toBe(200);
    await runInDurableObject(hub(), async (_obj, state) => {
      state.storage.sql.exec(`INSERT INTO schedule (key, kind, due_at, attempts) VALUES ('retention', 'retention', ?, 0) ON CONFLICT(key) DO UPDATE SET due_at = excluded.due_at`, now - 1);
      await state.storage.setAlarm(now);
    });
    expect(await runDurableObjectAlarm(hub())).toBe(true);
    const left = await env.DB.prepare("SELECT id FROM commands WHERE id IN ('cmd_retain_old', 'cmd_retain_new')").all<{ id: string }>();
    expect(left.results.map((r) => r.id)).toEqual(['cmd_retain_new']);
    // The next pass is a day away.
    const next = await runInDurableObject(hub(), (_obj, state) => state.storage.sql.exec<{ due_at: number }>("SELECT due_at FROM schedule WHERE key = 'retention'").one().due_at);
    expect(next).toBeGreaterThan(now + 23 * 3600_000);
  });
});
