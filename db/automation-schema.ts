import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';

/*
 * Automation: the tenant's script library (built-ins live in code, worker/lib/scripts/catalog)
 * and bulk jobs. Runs themselves are rows of `commands` (db/schema.ts), which name their job
 * and script version. Secret parameter values are never written here in clear: a job waiting
 * for offline devices keeps them sealed (AES-GCM under TETHER_MASTER_KEY) until it ends.
 */

const ts = (name: string) => integer(name);

export const scripts = sqliteTable(
  'scripts',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    category: text('category').notNull(),
    /** JSON array of linux / macos / windows. */
    platforms: text('platforms', { mode: 'json' }).$type<string[]>().notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    /** JSON array of client ids that may see it; null = all. */
    clientIds: text('client_ids', { mode: 'json' }).$type<string[] | null>(),
    /** Latest version number (the definition is in script_versions). */
    version: integer('version').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('scripts_tenant').on(t.tenantId, t.name)],
);

export const scriptVersions = sqliteTable(
  'script_versions',
  {
    scriptId: text('script_id').notNull(),
    version: integer('version').notNull(),
    tenantId: text('tenant_id').notNull(),
    interpreter: text('interpreter').notNull(),
    body: text('body').notNull(),
    /** JSON array of ScriptParam (protocol/scripts.ts). */
    params: text('params', { mode: 'json' }).$type<unknown[]>().notNull(),
    defaultTimeoutSeconds: integer('default_timeout_seconds').notNull(),
    note: text('note').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scriptId, t.version] }), index('script_versions_tenant').on(t.tenantId, t.scriptId)],
);

export const JOB_STATUSES = ['awaiting_approval', 'scheduled', 'rejected', 'running', 'halted', 'completed', 'cancelled', 'expired'] as const;

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    /** The CommandSpec with secret values masked. */
    action: text('action', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    actionLabel: text('action_label').notNull(),
    /** Sealed JSON of the secret values (PARAM_* → value); null when none or once the job ended. */
    secretsEnc: text('secrets_enc'),
    target: text('target', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    concurrency: integer('concurrency').notNull(),
    status: text('status', { enum: JOB_STATUSES }).notNull(),
    total: integer('total').notNull(),
    requestedBy: text('requested_by').notNull(),
    approvedBy: text('approved_by'),
    approvedAt: ts('approved_at'),
    rejectedReason: text('rejected_reason'),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    finishedAt: ts('finished_at'),
    /** command, deployment (action `deploy`) or patch (action `install_patches`). */
    kind: text('kind', { enum: ['command', 'deployment', 'patch'] }).notNull().default('command'),
    /** Scheduled start (status `scheduled` until then); null = at once. */
    startAt: ts('start_at'),
    /** Sent only to devices inside one of their maintenance windows. */
    windowOnly: integer('window_only', { mode: 'boolean' }).notNull().default(false),
    /** protocol/api/jobs.ts JobRings; null = no canary. */
    rings: text('rings', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** 0 while the canary runs; 1 when the rest may run. */
    ring: integer('ring').notNull().default(1),
    gate: text('gate', { enum: ['waiting', 'passed', 'failed', 'promoted'] }),
    gateAt: ts('gate_at'),
    canaryRate: integer('canary_rate'),
    /** The package version a deployment installs / removes (for lists and rollback). */
    packageVersionId: text('package_version_id'),
    /** Patch runs: the schedule that started it. */
    patchScheduleId: text('patch_schedule_id'),
  },
  (t) => [index('jobs_tenant').on(t.tenantId, t.id), index('jobs_tenant_kind').on(t.tenantId, t.kind, t.id)],
);

export const jobTargets = sqliteTable(
  'job_targets',
  {
    jobId: text('job_id').notNull(),
    deviceId: text('device_id').notNull(),
    tenantId: text('tenant_id').notNull(),
    /** pending, then the current command's status (protocol/api/jobs.ts JobTargetStatus). */
    status: text('status').notNull(),
    commandId: text('command_id'),
    attempt: integer('attempt').notNull(),
    exitCode: integer('exit_code'),
    durationMs: integer('duration_ms'),
    error: text('error'),
    updatedAt: ts('updated_at').notNull(),
    /** 0: canary; 1: the rest (every target of a job without rings). */
    ring: integer('ring').notNull().default(1),
    /** Deployments: protocol/packages.ts DeployStep, and percent within it. */
    step: text('step'),
    progress: integer('progress'),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.deviceId] }), index('job_targets_status').on(t.jobId, t.status), index('job_targets_command').on(t.commandId)],
);
