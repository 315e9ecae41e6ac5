import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { connectAgent, enroll, makeEnrollmentKey, MACHINE, type TestAgent } from '../../test/agent-fixture';
import { api, type Auth } from '../../test/support';

/* Bulk-job fixtures: enrolled devices with test agents that answer commands on cue. */

export interface JobDevice {
  deviceId: string;
  token: string;
  hostname: string;
}

let n = 0;

/** `count` devices enrolled through the real endpoint, at one client's site. */
export async function enrollDevices(owner: Auth, at: { clientId: string; siteId: string }, count: number, prefix = 'host'): Promise<JobDevice[]> {
  const { key } = await makeEnrollmentKey(owner.headers, { name: `jobs-${n++}`, clientId: at.clientId, siteId: at.siteId });
  const out: JobDevice[] = [];
  for (let i = 0; i < count; i++) {
    const hostname = `${prefix}-${String(i).padStart(2, '0')}-${n++}`;
    const res = await enroll(key, { ...MACHINE, hostname });
    const body = await res.json<{ deviceId: string; deviceToken: string }>();
    out.push({ deviceId: body.deviceId, token: body.deviceToken, hostname });
  }
  return out;
}

export interface Received {
  id: string;
  payload: Record<string, any>;
}

/** A connected agent that records the commands it receives and answers when told. */
export class JobAgent {
  private fid = 1;
  private seen = 0;
  readonly received: Received[] = [];

  private constructor(
    readonly device: JobDevice,
    readonly agent: TestAgent,
  ) {}

  static async connect(device: JobDevice): Promise<JobAgent> {
    const agent = await connectAgent(device.token);
    await agent.next('welcome');
    agent.send({ t: 'hello', agentVersion: MACHINE.agentVersion, hostname: device.hostname, os: MACHINE.os });
    return new JobAgent(device, agent);
  }

  /** Commands received so far (cmd frames, newest last). */
  poll(): Received[] {
    const cmds = this.agent.frames.filter((f) => f.t === 'cmd');
    for (; this.seen < cmds.length; this.seen++) {
      const f = cmds[this.seen]!;
      if (f.t !== 'cmd') continue;
      const payload = JSON.parse(f.cmd.payload) as Record<string, any>;
      if (!this.received.some((r) => r.id === payload.id)) this.received.push({ id: payload.id, payload });
    }
    return this.received;
  }

  finish(id: string, status: 'succeeded' | 'failed' | 'timed_out', exitCode: number | null, output = '', step?: string): void {
    this.agent.send({ t: 'cmd_ack', fid: this.fid++, id });
    if (output) this.agent.send({ t: 'out', fid: this.fid++, id, seq: 0, stream: 'stdout', data: output });
    this.agent.send({ t: 'done', fid: this.fid++, id, status, exitCode, durationMs: 42, truncated: false, ...(step ? { step } : {}) });
  }

  /** A deployment's progress frame (not durable: no fid). */
  step(id: string, step: string, progress: number | null): void {
    this.agent.send({ t: 'cmd_step', id, step, progress });
  }

  close(): void {
    try {
      this.agent.ws.close(1000, 'test done');
    } catch {
      // already closed
    }
  }
}

export async function waitOnline(deviceIds: readonly string[], status: 'online' | 'offline' = 'online'): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = await env.DB.prepare(`SELECT count(*) AS n FROM devices WHERE status = ? AND id IN (SELECT value FROM json_each(?))`)
      .bind(status, JSON.stringify(deviceIds))
      .first<{ n: number }>();
    if (row!.n === deviceIds.length) return;
    if (Date.now() > deadline) throw new Error(`devices not ${status} in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function jobOf(auth: Auth, id: string) {
  const res = await api(auth, 'GET', `/jobs/${id}`);
  if (res.status !== 200) throw new Error(`GET /jobs/${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { status: string; counts: Record<string, number> } & Record<string, any>;
}

export async function targets(jobId: string) {
  const { results } = await env.DB.prepare(`SELECT device_id, status, command_id, attempt, exit_code, error FROM job_targets WHERE job_id = ? ORDER BY device_id`)
    .bind(jobId)
    .all<{ device_id: string; status: string; command_id: string | null; attempt: number; exit_code: number | null; error: string | null }>();
  return results;
}

export const script = (text = 'echo hi') => ({ type: 'run_script', params: { interpreter: 'sh', script: text } });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Makes one of the TenantHub's timers due now and runs its alarm (as the runtime would). */
export async function fireHubTimer(tenantId: string, key: string): Promise<void> {
  const hub = env.TENANT_HUB.get(env.TENANT_HUB.idFromName(tenantId));
  const now = Date.now();
  await runInDurableObject(hub, async (_obj, state) => {
    state.storage.sql.exec('UPDATE schedule SET due_at = ? WHERE key = ?', now - 1, key);
    await state.storage.setAlarm(now);
  });
  await runDurableObjectAlarm(hub);
}

/** Whether the TenantHub has a timer with this key. */
export async function hubHasTimer(tenantId: string, key: string): Promise<boolean> {
  const hub = env.TENANT_HUB.get(env.TENANT_HUB.idFromName(tenantId));
  return runInDurableObject(hub, (_obj, state) => state.storage.sql.exec('SELECT 1 FROM schedule WHERE key = ?', key).toArray().length > 0);
}
