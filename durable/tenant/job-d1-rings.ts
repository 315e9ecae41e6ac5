import type { DeployStep } from '../../protocol/packages';

/*
 * The D1 statements of scheduled starts, canary gates and deploy steps. Every one is guarded
 * by the state it moves from, so an alarm that runs twice changes nothing the second time.
 */

const CHUNK = 500;
const ACTIVE = `('queued', 'delivered', 'running')`;
const FAILED = `('failed', 'timed_out', 'rejected', 'interrupted')`;

/** scheduled → running once its start has come. False when it was not (or no longer) scheduled. */
export async function startScheduled(d1: D1Database, tenantId: string, jobId: string, now: number): Promise<boolean> {
  const res = await d1
    .prepare(`UPDATE jobs SET status = 'running' WHERE id = ? AND tenant_id = ? AND status = 'scheduled' AND (start_at IS NULL OR start_at <= ?)`)
    .bind(jobId, tenantId, now)
    .run();
  return res.meta.changes > 0;
}

/** Scheduled jobs whose start has passed (the sweep starts those whose alarm was lost). */
export async function dueScheduled(d1: D1Database, tenantId: string, now: number): Promise<string[]> {
  const { results } = await d1
    .prepare(`SELECT id FROM jobs WHERE tenant_id = ? AND status = 'scheduled' AND start_at <= ?`)
    .bind(tenantId, now)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Canary devices still running it, or waiting while online (they will run it soon). */
export async function canaryBusy(d1: D1Database, jobId: string): Promise<number> {
  const row = await d1
    .prepare(
      `SELECT count(*) AS n FROM job_targets jt LEFT JOIN devices d ON d.id = jt.device_id
       WHERE jt.job_id = ? AND jt.ring = 0
         AND (jt.status IN ${ACTIVE} OR (jt.status = 'pending' AND d.status = 'online' AND d.revoked_at IS NULL))`,
    )
    .bind(jobId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** The canary is done: the gate waits until `gateAt`. False when it was already opened. */
export async function openGate(d1: D1Database, tenantId: string, jobId: string, gateAt: number): Promise<boolean> {
  const res = await d1
    .prepare(`UPDATE jobs SET gate = 'waiting', gate_at = ? WHERE id = ? AND tenant_id = ? AND status = 'running' AND ring = 0 AND gate IS NULL`)
    .bind(gateAt, jobId, tenantId)
    .run();
  return res.meta.changes > 0;
}

export async function canaryOutcome(d1: D1Database, jobId: string): Promise<{ succeeded: number; failed: number }> {
  const row = await d1
    .prepare(
      `SELECT coalesce(sum(status = 'succeeded'), 0) AS succeeded, coalesce(sum(status IN ${FAILED}), 0) AS failed
       FROM job_targets WHERE job_id = ? AND ring = 0`,
    )
    .bind(jobId)
    .first<{ succeeded: number; failed: number }>();
  return { succeeded: row?.succeeded ?? 0, failed: row?.failed ?? 0 };
}

/**
 * The gate's verdict: canary devices that never ran it join the rest, then the job either
 * opens ring 1 or halts. False when the gate was not (or no longer) waiting.
 */
export async function judgeGate(d1: D1Database, tenantId: string, jobId: string, passed: boolean, rate: number): Promise<boolean> {
  const waiting = `EXISTS (SELECT 1 FROM jobs WHERE id = ?1 AND status = 'running' AND gate = 'waiting')`;
  const [, job] = await d1.batch([
    d1.prepare(`UPDATE job_targets SET ring = 1 WHERE job_id = ?1 AND ring = 0 AND status = 'pending' AND ${waiting}`).bind(jobId),
    d1
      .prepare(
        `UPDATE jobs SET gate = ?3, canary_rate = ?4, ring = CASE WHEN ?5 THEN 1 ELSE 0 END, status = CASE WHEN ?5 THEN 'running' ELSE 'halted' END
         WHERE id = ?1 AND tenant_id = ?2 AND status = 'running' AND gate = 'waiting'`,
      )
      .bind(jobId, tenantId, passed ? 'passed' : 'failed', rate, passed ? 1 : 0),
  ]);
  return job!.meta.changes > 0;
}

export interface StepUpdate {
  commandId: string;
  step: DeployStep;
  progress: number | null;
}

/** Where each device is, for commands still running (a settled target keeps its final step). */
export async function writeSteps(d1: D1Database, tenantId: string, steps: readonly StepUpdate[], now: number): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < steps.length; i += CHUNK) {
    const list = JSON.stringify(steps.slice(i, i + CHUNK).map((s) => ({ c: s.commandId, s: s.step, p: s.progress })));
    statements.push(
      d1
        .prepare(
          `UPDATE job_targets SET step = json_extract(j.value, '$.s'), progress = json_extract(j.value, '$.p'), updated_at = ?
           FROM json_each(?) AS j
           WHERE job_targets.command_id = json_extract(j.value, '$.c') AND job_targets.tenant_id = ? AND job_targets.status IN ${ACTIVE}`,
        )
        .bind(now, list, tenantId),
    );
  }
  if (statements.length) await d1.batch(statements);
}
