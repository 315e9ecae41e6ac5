import { sqliteTable, text, integer, index, primaryKey, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { DetectionRule, InstallerType, PackagePlatform } from '../protocol/packages';
import type { PatchClassification } from '../protocol/patches';
import type { PatchPolicy } from '../protocol/api/patches';

/*
 * Software deployment and patch management. Package bytes live in R2 under
 * `tenants/<tenantId>/packages/<packageId>/<versionId>` — ids only, never an uploaded name —
 * and each ready version keeps the manifest text exactly as it was signed. Deployments and
 * patch runs are jobs (db/automation-schema.ts) whose action is `deploy` / `install_patches`.
 * Patches: the DeviceHub replaces a device's rows with each scan; approvals are the tenant's.
 */

const ts = (name: string) => integer(name);

export const packages = sqliteTable(
  'packages',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    vendor: text('vendor').notNull().default(''),
    description: text('description').notNull().default(''),
    installer: text('installer').$type<InstallerType>().notNull(),
    platform: text('platform').$type<PackagePlatform>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('packages_tenant').on(t.tenantId, t.name)],
);

export const packageVersions = sqliteTable(
  'package_versions',
  {
    id: text('id').primaryKey(),
    packageId: text('package_id').notNull(),
    tenantId: text('tenant_id').notNull(),
    version: text('version').notNull(),
    /** uploading → ready (hashed, manifest signed) or failed. */
    status: text('status', { enum: ['uploading', 'ready', 'failed'] }).notNull(),
    r2Key: text('r2_key'),
    /** R2 multipart upload id while uploading. */
    uploadId: text('upload_id'),
    uploadedBytes: integer('uploaded_bytes').notNull().default(0),
    fileName: text('file_name'),
    /** Declared at creation; checked against what R2 holds at completion. */
    declaredSize: integer('declared_size'),
    size: integer('size'),
    sha256: text('sha256'),
    repoName: text('repo_name'),
    silentArgs: text('silent_args', { mode: 'json' }).$type<string[]>().notNull(),
    uninstallArgs: text('uninstall_args', { mode: 'json' }).$type<string[]>().notNull(),
    detection: text('detection', { mode: 'json' }).$type<DetectionRule>().notNull(),
    notes: text('notes').notNull().default(''),
    /** The manifest JSON text exactly as signed, and its signature (base64). */
    manifest: text('manifest'),
    manifestSig: text('manifest_sig'),
    error: text('error'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    readyAt: ts('ready_at'),
  },
  (t) => [uniqueIndex('package_versions_version').on(t.packageId, t.version), index('package_versions_tenant').on(t.tenantId, t.packageId)],
);

export const devicePatches = sqliteTable(
  'device_patches',
  {
    tenantId: text('tenant_id').notNull(),
    deviceId: text('device_id').notNull(),
    key: text('key').notNull(),
    source: text('source').notNull(),
    name: text('name').notNull(),
    title: text('title').notNull(),
    installedVersion: text('installed_version'),
    availableVersion: text('available_version'),
    classification: text('classification').$type<PatchClassification>().notNull(),
    severity: text('severity').notNull(),
    cves: text('cves', { mode: 'json' }).$type<string[]>().notNull(),
    advisory: text('advisory'),
    rebootRequired: integer('reboot_required', { mode: 'boolean' }).notNull(),
    sizeBytes: integer('size_bytes'),
    releasedAt: ts('released_at'),
    /** When any device of the tenant first reported this key (policy `afterDays` counts from it). */
    firstSeenAt: ts('first_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.deviceId, t.key] }), index('device_patches_key').on(t.tenantId, t.key)],
);

/** One row per scanned device: when, and what could not be read. */
export const patchScans = sqliteTable(
  'patch_scans',
  {
    deviceId: text('device_id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    scannedAt: ts('scanned_at').notNull(),
    sources: text('sources', { mode: 'json' }).$type<string[]>().notNull(),
    errors: text('errors', { mode: 'json' }).$type<string[]>().notNull(),
    rebootPending: integer('reboot_pending', { mode: 'boolean' }).notNull(),
    missing: integer('missing').notNull(),
  },
  (t) => [index('patch_scans_tenant').on(t.tenantId)],
);

/** A person's decision on one update; absent = the policy decides. */
export const patchApprovals = sqliteTable(
  'patch_approvals',
  {
    tenantId: text('tenant_id').notNull(),
    key: text('key').notNull(),
    decision: text('decision', { enum: ['approved', 'declined'] }).notNull(),
    note: text('note').notNull().default(''),
    decidedBy: text('decided_by').notNull(),
    decidedAt: ts('decided_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

/** The tenant's policy (client_id '') and client overrides. */
export const patchPolicies = sqliteTable(
  'patch_policies',
  {
    tenantId: text('tenant_id').notNull(),
    clientId: text('client_id').notNull(),
    policy: text('policy', { mode: 'json' }).$type<PatchPolicy>().notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.clientId] })],
);

export const patchSchedules = sqliteTable(
  'patch_schedules',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    target: text('target', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull(),
    windowOnly: integer('window_only', { mode: 'boolean' }).notNull(),
    ttlHours: integer('ttl_hours').notNull(),
    reboot: text('reboot', { enum: ['never', 'if_needed', 'always'] }).notNull(),
    noticeMinutes: integer('notice_minutes').notNull(),
    maxDeferrals: integer('max_deferrals').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    nextRunAt: ts('next_run_at'),
    lastRunAt: ts('last_run_at'),
    lastJobId: text('last_job_id'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('patch_schedules_tenant').on(t.tenantId), index('patch_schedules_due').on(t.enabled, t.nextRunAt)],
);

/** Compliance per client per UTC day (client_id '' = the whole tenant), for the trend chart. */
export const patchComplianceDaily = sqliteTable(
  'patch_compliance_daily',
  {
    tenantId: text('tenant_id').notNull(),
    clientId: text('client_id').notNull(),
    day: text('day').notNull(),
    devices: integer('devices').notNull(),
    scanned: integer('scanned').notNull(),
    fullyPatched: integer('fully_patched').notNull(),
    missingCritical: integer('missing_critical').notNull(),
    missingTotal: integer('missing_total').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.clientId, t.day] })],
);
