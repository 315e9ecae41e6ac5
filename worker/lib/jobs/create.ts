import { eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { jobs, jobTargets } from '../../../db/automation-schema';
import { auditLog, tenants } from '../../../db/schema';
import type { CommandSpec } from '../../../protocol/api/commands';
import type { CreateJobBody, JobKind, JobTarget } from '../../../protocol/api/jobs';
import { SECRET_MASK } from '../../../protocol/scripts';
import type { AppEnv, AuthContext, Db } from '../../types';
import { auditRow, clientIp, type AuditActor } from '../audit';
import { prepareCommand, type PreparedCommand } from '../commands/prepare';
import { badRequest } from '../errors';
import { newId } from '../ids';
import { envName } from '../scripts/render';
import { pickCanary } from './rings';
import { sealSecrets } from './secrets';
import { resolveNonEmpty, type TargetDevice } from './targets';
import type { JobRow } from './view';

/* Targets travel as one JSON parameter; this keeps each statement's parameter small. */
const TARGET_CHUNK = 1000;
/* A start further ahead than this is more likely a typo than a plan. */
const MAX_START_AHEAD_MS = 30 * 86_400_000;

export async function approvalThreshold(db: Db, tenantId: string): Promise<number> {
  const row = await db.select({ t: tenants.approvalThreshold }).from(tenants).where(eq(tenants.id, tenantId)).get();
  return row?.t ?? 25;
}

export const needsApproval = (count: number, target: JobTarget, threshold: number) => target.all || count > threshold;

export const kindOf = (spec: CommandSpec): JobKind => (spec.type === 'deploy' ? 'deployment' : spec.type === 'install_patches' ? 'patch' : 'command');

/** The action as the job keeps it (and the hub renders again per dispatch): secret values masked. */
function storedAction(spec: CommandSpec, prepared: PreparedCommand): Record<string, unknown> {
  // Rendered again at each dispatch from the spec itself: the manifest is signed, the approved patches chosen, then.
  if (spec.type === 'deploy' || spec.type === 'install_patches') return { ...spec };
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

function startAtOf(body: CreateJobBody, now: number): number | null {
  const startAt = body.schedule?.startAt ?? null;
  if (startAt === null) return null;
  if (startAt <= now || startAt > now + MAX_START_AHEAD_MS) {
    throw badRequest('the start must be in the future and within 30 days', [{ path: 'schedule.startAt', message: 'in the future, within 30 days' }]);
  }
  return startAt;
}

export interface CreatedJob {
  row: JobRow;
  devices: TargetDevice[];
}

/** Who asks for a job: a user through the API, or a patch schedule in its creator's name. */
export type JobCreator = Pick<AuthContext, 'tenantId' | 'userId' | 'clientIds'> & Partial<Pick<AuthContext, 'actorId' | 'actorType'>>;

export interface CreateMeta {
  ip?: string | null;
  /** 'system' when a schedule starts it. */
  actorType?: AuditActor['actorType'];
  patchScheduleId?: string | null;
}

/**
 * Resolves the action and the target, then writes the job, its targets (all 'pending'; the
 * canary ring 0, the rest ring 1) and the audit row in one batch. The caller tells the
 * TenantHub, which starts it when it is 'running' and at its start time when 'scheduled'.
 */
export async function createJobFor(deps: { db: Db; masterKey: string }, creator: JobCreator, body: CreateJobBody, meta: CreateMeta = {}): Promise<CreatedJob> {
  const { db } = deps;
  const auth: AuthContext = {
    role: 'technician',
    actorId: creator.actorId ?? creator.userId,
    actorType: creator.actorType ?? 'user',
    ...creator,
  };
  const now = Date.now();
  const startAt = startAtOf(body, now);
  const prepared = await prepareCommand(db, auth, body.action);
  const devices = await resolveNonEmpty(db, auth, body.target);
  const threshold = await approvalThreshold(db, auth.tenantId);
  const canary = pickCanary(body.rings, devices);
  const withRings = canary.size > 0;
  const status = needsApproval(devices.length, body.target, threshold) ? 'awaiting_approval' : startAt !== null ? 'scheduled' : 'running';
  const row: JobRow = {
    id: newId('job', now),
    tenantId: auth.tenantId,
    name: body.name || prepared.label,
    action: storedAction(body.action, prepared),
    actionLabel: body.action.type === 'script' ? `script: ${prepared.label}` : `${body.action.type}: ${prepared.label}`,
    secretsEnc: await sealSecrets(deps.masterKey, prepared.secrets),
    target: body.target as Record<string, unknown>,
    concurrency: body.concurrency,
    status,
    total: devices.length,
    requestedBy: auth.userId,
    approvedBy: null,
    approvedAt: null,
    rejectedReason: null,
    createdAt: now,
    expiresAt: (startAt ?? now) + body.ttlSeconds * 1000,
    finishedAt: null,
    kind: kindOf(body.action),
    startAt,
    windowOnly: body.schedule?.windowOnly ?? false,
    rings: withRings ? (body.rings as Record<string, unknown>) : null,
    ring: withRings ? 0 : 1,
    gate: null,
    gateAt: null,
    canaryRate: null,
    packageVersionId: body.action.type === 'deploy' ? body.action.versionId : null,
    patchScheduleId: meta.patchScheduleId ?? null,
  };
  const inserts = [];
  for (let i = 0; i < devices.length; i += TARGET_CHUNK) {
    const list = JSON.stringify(devices.slice(i, i + TARGET_CHUNK).map((d) => ({ d: d.id, r: canary.has(d.id) ? 0 : 1 })));
    // Positional, in the table's column order: job, device, tenant, status, command, attempt, exit, duration, error, updated, ring, step, progress.
    inserts.push(
      db
        .insert(jobTargets)
        .select(
          sql`SELECT ${row.id}, json_extract(value, '$.d'), ${auth.tenantId}, 'pending', NULL, 1, NULL, NULL, NULL, ${now}, json_extract(value, '$.r'), NULL, NULL FROM json_each(${list})`,
        ),
    );
  }
  const actor: AuditActor = { tenantId: auth.tenantId, actorId: auth.actorId, actorType: meta.actorType ?? auth.actorType };
  const entry = {
    action: 'job.create',
    targetType: 'job',
    targetId: row.id,
    detail: {
      name: row.name,
      action: row.actionLabel,
      kind: row.kind,
      devices: devices.length,
      canary: canary.size,
      startAt,
      windowOnly: row.windowOnly,
      status: row.status,
      requestedBy: auth.userId,
      target: targetSummary(body.target),
      ...(meta.patchScheduleId ? { patchScheduleId: meta.patchScheduleId } : {}),
    },
  };
  await db.batch([db.insert(jobs).values(row), ...inserts, db.insert(auditLog).values(auditRow(actor, entry, meta.ip ?? null))]);
  return { row, devices };
}

/** The API's create: the caller's own rights and address. */
export function createJob(c: Context<AppEnv>, body: CreateJobBody): Promise<CreatedJob> {
  return createJobFor({ db: c.var.db, masterKey: c.env.TETHER_MASTER_KEY }, c.var.auth, body, { ip: clientIp(c) });
}
