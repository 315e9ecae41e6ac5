import * as v from 'valibot';
import { FINAL_STATUSES, type CommandStatus } from '../../protocol/command';
import { JobRings, type Job, type JobCounts, type JobKind, type JobStatus } from '../../protocol/api/jobs';
import type { DeployStep } from '../../protocol/packages';
import type { OpenScopes } from './job-windows';
import { countsOf } from '../../worker/lib/jobs/status';

/*
 * The D1 statements of a running job. Lists travel as one JSON parameter (json_each), so a
 * thousand devices are one statement, not a thousand, and never hit D1's parameter cap.
 */

const CHUNK = 500;
const ACTIVE = `('queued', 'delivered', 'running')`;

function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export interface JobRecord {
  id: string;
  status: JobStatus;
  action: Record<string, unknown>;
  secretsEnc: string | null;
  concurrency: number;
  expiresAt: number;
  requestedBy: string;
  kind: JobKind;
  startAt: number | null;
  windowOnly: boolean;
  rings: JobRings | null;
  /** Targets of this ring or lower may be sent the job. */
  ring: number;
  gate: JobGate | null;
  gateAt: number | null;
}

export type JobGate = NonNullable<Job['gate']>;

type JobRow = {
  id: string;
  status: JobStatus;
  action: string;
  secrets_enc: string | null;
  concurrency: number;
  expires_at: number;
  requested_by: string;
  kind: JobKind;
  start_at: number | null;
  window_only: number;
  rings: string | null;
  ring: number;
  gate: JobGate | null;
  gate_at: number | null;
};

function ringsOf(text: string | null): JobRings | null {
  if (!text) return null;
  const parsed = v.safeParse(JobRings, JSON.parse(text));
  return parsed.success ? parsed.output : null;
}

export async function loadJob(d1: D1Database, tenantId: string, jobId: string): Promise<JobRecord | null> {
  const row = await d1
    .prepare(
      `SELECT id, status, action, secrets_enc, concurrency, expires_at, requested_by, kind, start_at, window_only, rings, ring, gate, gate_at
       FROM jobs WHERE id = ? AND tenant_id = ?`,
    )
    .bind(jobId, tenantId)
    .first<JobRow>();
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    action: JSON.parse(row.action) as Record<string, unknown>,
    secretsEnc: row.secrets_enc,
    concurrency: row.concurrency,
    expiresAt: row.expires_at,
    requestedBy: row.requested_by,
    kind: row.kind,
    startAt: row.start_at,
    windowOnly: row.window_only === 1,
    rings: ringsOf(row.rings),
    ring: row.ring,
    gate: row.gate,
    gateAt: row.gate_at,
  };
}

export async function runningJobIds(d1: D1Database, tenantId: string): Promise<string[]> {
  const { results } = await d1.prepare(`SELECT id FROM jobs WHERE tenant_id = ? AND status = 'running'`).bind(tenantId).all<{ id: string }>();
  return results.map((r) => r.id);
}

/** The one client every device of the job belongs to, or null when they span several. */
export async function jobClient(d1: D1Database, jobId: string): Promise<string | null> {
  const { results } = await d1
    .prepare(`SELECT DISTINCT d.client_id AS c FROM job_targets jt INNER JOIN devices d ON d.id = jt.device_id WHERE jt.job_id = ? LIMIT 2`)
    .bind(jobId)
    .all<{ c: string }>();
  return results.length === 1 ? results[0]!.c : null;
}

/**
 * Pending targets whose device is online now, up to `limit`: only rings up to `maxRing`, and
 * with `scopes`, only devices one of those open maintenance windows covers.
 */
export async function onlinePending(d1: D1Database, tenantId: string, jobId: string, limit: number, maxRing = 1, scopes: OpenScopes | null = null) {
  const { results } = await d1
    .prepare(
      `SELECT jt.device_id AS deviceId, d.client_id AS clientId FROM job_targets jt INNER JOIN devices d ON d.id = jt.device_id
       WHERE jt.job_id = ?1 AND jt.status = 'pending' AND jt.ring <= ?4 AND d.tenant_id = ?2 AND d.status = 'online' AND d.revoked_at IS NULL
         AND (?5 IS NULL OR d.id IN (SELECT value FROM json_each(?5, '$.deviceIds')) OR d.client_id IN (SELECT value FROM json_each(?5, '$.clientIds'))
              OR d.site_id IN (SELECT value FROM json_each(?5, '$.siteIds'))
              OR EXISTS (SELECT 1 FROM device_group_members m WHERE m.device_id = d.id AND m.group_id IN (SELECT value FROM json_each(?5, '$.groupIds'))))
       LIMIT ?3`,
    )
    .bind(jobId, tenantId, limit, maxRing, scopes ? JSON.stringify(scopes) : null)
    .all<{ deviceId: string; clientId: string }>();
  return results;
}

/** Which of these running jobs still wait for this device. */
export async function jobsPendingFor(d1: D1Database, deviceId: string, jobIds: readonly string[]): Promise<string[]> {
  const { results } = await d1
    .prepare(`SELECT job_id FROM job_targets WHERE device_id = ? AND status = 'pending' AND job_id IN (SELECT value FROM json_each(?))`)
    .bind(deviceId, JSON.stringify(jobIds))
    .all<{ job_id: string }>();
  return results.map((r) => r.job_id);
}

export interface DispatchRecord {
  jobId: string;
  tenantId: string;
  type: string;
  /** Secrets masked: what history keeps. */
  params: unknown;
  label: string;
  scriptId: string | null;
  scriptVersion: number | null;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  sent: readonly { id: string; deviceId: string }[];
  /** Deployments: the targets' step starts at 'pending'. */
  deploy: boolean;
}

/** The commands rows and the targets' move to 'queued', in one transaction, before anything is enqueued. */
export async function recordDispatch(d1: D1Database, r: DispatchRecord): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  const params = JSON.stringify(r.params);
  for (const part of chunks(r.sent)) {
    const list = JSON.stringify(part.map((s) => ({ id: s.id, d: s.deviceId })));
    statements.push(
      d1
        .prepare(
          `INSERT INTO commands (id, tenant_id, device_id, type, params, status, created_by, created_at, expires_at, job_id, script_id, script_version, label)
           SELECT json_extract(value, '$.id'), ?, json_extract(value, '$.d'), ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ? FROM json_each(?)`,
        )
        .bind(r.tenantId, r.type, params, r.createdBy, r.createdAt, r.expiresAt, r.jobId, r.scriptId, r.scriptVersion, r.label, list),
      d1
        .prepare(
          `UPDATE job_targets SET status = 'queued', command_id = json_extract(j.value, '$.id'), updated_at = ?,
             step = CASE WHEN ? THEN 'pending' ELSE NULL END, progress = NULL
           FROM json_each(?) AS j
           WHERE job_targets.job_id = ? AND job_targets.device_id = json_extract(j.value, '$.d') AND job_targets.status = 'pending'`,
        )
        .bind(r.createdAt, r.deploy ? 1 : 0, list, r.jobId),
    );
  }
  await d1.batch(statements);
}

/** A command the DeviceHub could not take: failed in history and for its target. */
export async function failDispatch(d1: D1Database, tenantId: string, commandIds: readonly string[], error: string, now: number): Promise<void> {
  const ids = JSON.stringify(commandIds);
  await d1.batch([
    d1
      .prepare(`UPDATE commands SET status = 'failed', error = ?, finished_at = ? WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?))`)
      .bind(error, now, tenantId, ids),
    d1
      .prepare(`UPDATE job_targets SET status = 'failed', error = ?, updated_at = ? WHERE tenant_id = ? AND command_id IN (SELECT value FROM json_each(?))`)
      .bind(error, now, tenantId, ids),
  ]);
}

export interface ResultEvent {
  jobId: string;
  commandId: string;
  status: CommandStatus;
  exitCode: number | null;
  /** The final deploy step the agent reported, if any. */
  step?: DeployStep;
}

/**
 * Copies command outcomes onto their targets. Duration and error come from the commands row,
 * which the DeviceHub writes before it reports a final status. A target already settled (or
 * already moved on to a retry's new command) is left alone. A target with a deploy step gets
 * its final one: the agent's, else succeeded or failed by the status.
 */
export async function applyResults(d1: D1Database, tenantId: string, events: readonly ResultEvent[], now: number): Promise<void> {
  const statements = chunks(events).map((part) =>
    d1
      .prepare(
        `UPDATE job_targets SET status = json_extract(j.value, '$.s'), exit_code = json_extract(j.value, '$.e'),
           duration_ms = (SELECT c.duration_ms FROM commands c WHERE c.id = job_targets.command_id),
           error = (SELECT c.error FROM commands c WHERE c.id = job_targets.command_id),
           step = CASE WHEN json_extract(j.value, '$.f') = 1
                  THEN coalesce(json_extract(j.value, '$.st'), CASE WHEN job_targets.step IS NULL THEN NULL
                                                                   WHEN json_extract(j.value, '$.s') = 'succeeded' THEN 'succeeded' ELSE 'failed' END)
                  ELSE job_targets.step END,
           updated_at = ?
         FROM json_each(?) AS j
         WHERE job_targets.command_id = json_extract(j.value, '$.c') AND job_targets.tenant_id = ? AND job_targets.status IN ${ACTIVE}`,
      )
      .bind(now, JSON.stringify(part.map((e) => ({ c: e.commandId, s: e.status, e: e.exitCode, f: FINAL_STATUSES.includes(e.status) ? 1 : 0, st: e.step ?? null }))), tenantId),
  );
  if (statements.length) await d1.batch(statements);
}

export interface JobState {
  status: JobStatus;
  ring: number;
  gate: JobGate | null;
  gateAt: number | null;
  counts: JobCounts;
  /** Targets that ran out of time (they make a finished job 'expired'). */
  expired: number;
}

export async function jobStates(d1: D1Database, tenantId: string, jobIds: readonly string[]): Promise<Map<string, JobState>> {
  const { results } = await d1
    .prepare(
      `SELECT j.id AS id, j.status AS job, j.ring AS ring, j.gate AS gate, j.gate_at AS gateAt, jt.status AS status, count(*) AS n
       FROM jobs j INNER JOIN job_targets jt ON jt.job_id = j.id
       WHERE j.tenant_id = ? AND j.id IN (SELECT value FROM json_each(?)) GROUP BY j.id, jt.status`,
    )
    .bind(tenantId, JSON.stringify(jobIds))
    .all<{ id: string; job: JobStatus; ring: number; gate: JobGate | null; gateAt: number | null; status: string; n: number }>();
  const grouped = new Map<string, typeof results>();
  for (const r of results) grouped.set(r.id, [...(grouped.get(r.id) ?? []), r]);
  const out = new Map<string, JobState>();
  for (const [id, rows] of grouped) {
    const { job, ring, gate, gateAt } = rows[0]!;
    out.set(id, { status: job, ring, gate, gateAt, counts: countsOf(rows), expired: rows.find((r) => r.status === 'expired')?.n ?? 0 });
  }
  return out;
}

/** running → completed or expired; the sealed secrets go with it. False if it was not running. */
export async function finishJob(d1: D1Database, tenantId: string, jobId: string, status: 'completed' | 'expired', now: number): Promise<boolean> {
  const res = await d1
    .prepare(`UPDATE jobs SET status = ?, finished_at = ?, secrets_enc = NULL WHERE id = ? AND tenant_id = ? AND status = 'running'`)
    .bind(status, now, jobId, tenantId)
    .run();
  return res.meta.changes > 0;
}

/**
 * The deadline came while the job waited (for approval, its start, or a promote after a failed
 * gate): it is expired, and so are its devices never sent it.
 */
export async function expireWaiting(d1: D1Database, tenantId: string, jobId: string, now: number): Promise<boolean> {
  const [job] = await d1.batch([
    d1
      .prepare(
        `UPDATE jobs SET status = 'expired', finished_at = ?, secrets_enc = NULL WHERE id = ? AND tenant_id = ? AND status IN ('awaiting_approval', 'scheduled', 'halted')`,
      )
      .bind(now, jobId, tenantId),
    d1
      .prepare(`UPDATE job_targets SET status = 'expired', updated_at = ? WHERE job_id = ? AND tenant_id = ? AND status = 'pending'
                AND EXISTS (SELECT 1 FROM jobs WHERE id = ? AND status = 'expired')`)
      .bind(now, jobId, tenantId, jobId),
  ]);
  return job!.meta.changes > 0;
}

/** Targets never sent: 'expired' at the deadline, 'cancelled' when the job is cancelled. */
export async function skipPending(d1: D1Database, tenantId: string, jobId: string, status: 'expired' | 'cancelled', now: number): Promise<void> {
  await d1
    .prepare(`UPDATE job_targets SET status = ?, updated_at = ? WHERE job_id = ? AND tenant_id = ? AND status = 'pending'`)
    .bind(status, now, jobId, tenantId)
    .run();
}

/** Final outcomes D1 holds for commands whose event the hub never got. */
export async function settledCommands(d1: D1Database, tenantId: string, ids: readonly string[]) {
  const { results } = await d1
    .prepare(
      `SELECT id, status, exit_code AS exitCode FROM commands WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?))
       AND status NOT IN ${ACTIVE}`,
    )
    .bind(tenantId, JSON.stringify(ids))
    .all<{ id: string; status: CommandStatus; exitCode: number | null }>();
  return results;
}
