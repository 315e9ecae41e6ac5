import { eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { jobs, jobTargets } from '../../../db/automation-schema';
import { tenants } from '../../../db/schema';
import type { CommandSpec } from '../../../protocol/api/commands';
import type { CreateJobBody, JobTarget } from '../../../protocol/api/jobs';
import { SECRET_MASK } from '../../../protocol/scripts';
import type { AppEnv, Db } from '../../types';
import { auditInsert } from '../audit';
import { prepareCommand, type PreparedCommand } from '../commands/prepare';
import { newId } from '../ids';
import { envName } from '../scripts/render';
import { sealSecrets } from './secrets';
import { resolveNonEmpty, type TargetDevice } from './targets';
import type { JobRow } from './view';

/* Ids travel as one JSON parameter; this keeps each statement's parameter small. */
const TARGET_CHUNK = 1000;

export async function approvalThreshold(db: Db, tenantId: string): Promise<number> {
  const row = await db.select({ t: tenants.approvalThreshold }).from(tenants).where(eq(tenants.id, tenantId)).get();
  return row?.t ?? 25;
}

export const needsApproval = (count: number, target: JobTarget, threshold: number) => target.all || count > threshold;

/** The action as the job keeps it (and the hub renders again per dispatch): secret values masked. */
function storedAction(spec: CommandSpec, prepared: PreparedCommand): Record<string, unknown> {
  if (spec.type !== 'script') return { type: spec.type, params: prepared.stored };
  const values = Object.fromEntries(Object.entries(spec.values).map(([k, val]) => [k, envName(k) in prepared.secrets ? SECRET_MASK : val]));
  // The version is pinned: devices that come back later run what was approved.
  return { ...spec, version: prepared.scriptVersion ?? spec.version, values };
}

/** Short, secret-free words for the audit log. */
function targetSummary(t: JobTarget): Record<string, unknown> {
  return {
    all: t.all,
    devices: t.deviceIds.length,
    groups: t.groupIds,
    sites: t.siteIds,
    clients: t.clientIds,
    tags: t.tags,
    filter: t.filter ?? null,
  };
}

export interface CreatedJob {
  row: JobRow;
  devices: TargetDevice[];
}

/**
 * Resolves the action and the target, then writes the job, its targets (all 'pending') and
 * the audit row in one batch. The caller starts it in the TenantHub when it is 'running'.
 */
export async function createJob(c: Context<AppEnv>, body: CreateJobBody): Promise<CreatedJob> {
  const { auth, db } = c.var;
  const prepared = await prepareCommand(db, auth, body.action);
  const devices = await resolveNonEmpty(db, auth, body.target);
  const threshold = await approvalThreshold(db, auth.tenantId);
  const now = Date.now();
  const row: JobRow = {
    id: newId('job', now),
    tenantId: auth.tenantId,
    name: body.name || prepared.label,
    action: storedAction(body.action, prepared),
    actionLabel: body.action.type === 'script' ? `script: ${prepared.label}` : `${body.action.type}: ${prepared.label}`,
    secretsEnc: await sealSecrets(c.env.TETHER_MASTER_KEY, prepared.secrets),
    target: body.target as Record<string, unknown>,
    concurrency: body.concurrency,
    status: needsApproval(devices.length, body.target, threshold) ? 'awaiting_approval' : 'running',
    total: devices.length,
    requestedBy: auth.userId,
    approvedBy: null,
    approvedAt: null,
    rejectedReason: null,
    createdAt: now,
    expiresAt: now + body.ttlSeconds * 1000,
    finishedAt: null,
  };
  const inserts = [];
  for (let i = 0; i < devices.length; i += TARGET_CHUNK) {
    const ids = JSON.stringify(devices.slice(i, i + TARGET_CHUNK).map((d) => d.id));
    inserts.push(
      db
        .insert(jobTargets)
        .select(sql`SELECT ${row.id}, value, ${auth.tenantId}, 'pending', NULL, 1, NULL, NULL, NULL, ${now} FROM json_each(${ids})`),
    );
  }
  await db.batch([
    db.insert(jobs).values(row),
    ...inserts,
    auditInsert(db, c, {
      action: 'job.create',
      targetType: 'job',
      targetId: row.id,
      detail: {
        name: row.name,
        action: row.actionLabel,
        devices: devices.length,
        status: row.status,
        requestedBy: auth.userId,
        target: targetSummary(body.target),
      },
    }),
  ]);
  return { row, devices };
}
