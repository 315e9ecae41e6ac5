import { sqliteTable, text, integer, real, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

/*
 * D1 schema. Every tenant-owned table has `tenant_id` and every query filters on it.
 * Timestamps are integer milliseconds since the epoch. Ids are prefixed, time-ordered
 * strings (see worker/lib/ids.ts) so `ORDER BY id` is creation order.
 */

const ts = (name: string) => integer(name);

export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: ts('created_at').notNull(),
  /** Raw Ed25519 public key, base64. Agents pin it at enrollment. */
  signingPublicKey: text('signing_public_key').notNull(),
  /** PKCS#8 private key, AES-GCM encrypted with the TETHER_MASTER_KEY secret. */
  signingPrivateKeyEnc: text('signing_private_key_enc').notNull(),
  /** Jobs aimed at more devices than this wait for a second person's approval. */
  approvalThreshold: integer('approval_threshold').notNull().default(25),
  /** Command history (with output) older than this is deleted. */
  historyRetentionDays: integer('history_retention_days').notNull().default(90),
  /** Lifecycle: the age at which a device is due for replacement (a poor health score brings it forward). */
  replaceAfterYears: integer('replace_after_years').notNull().default(5),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull().references(() => tenants.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['owner', 'admin', 'technician', 'readonly', 'client'] }).notNull(),
    /** JSON array of client ids the user is limited to; null = all clients. */
    clientIds: text('client_ids', { mode: 'json' }).$type<string[] | null>(),
    disabledAt: ts('disabled_at'),
    createdAt: ts('created_at').notNull(),
    lastLoginAt: ts('last_login_at'),
  },
  (t) => [uniqueIndex('users_email').on(t.email), index('users_tenant').on(t.tenantId)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the cookie value, hex. */
    idHash: text('id_hash').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    tenantId: text('tenant_id').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull().references(() => users.id),
    name: text('name').notNull(),
    /** SHA-256 of the token, hex. The token itself is shown once. */
    tokenHash: text('token_hash').notNull(),
    /** First characters, to recognise a token in lists. */
    prefix: text('prefix').notNull(),
    role: text('role', { enum: ['owner', 'admin', 'technician', 'readonly', 'client'] }).notNull(),
    clientIds: text('client_ids', { mode: 'json' }).$type<string[] | null>(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at'),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.tokenHash), index('api_tokens_tenant').on(t.tenantId)],
);

export const clients = sqliteTable(
  'clients',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull().references(() => tenants.id),
    name: text('name').notNull(),
    notes: text('notes'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('clients_tenant').on(t.tenantId, t.name)],
);

export const sites = sqliteTable(
  'sites',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    clientId: text('client_id').notNull().references(() => clients.id),
    name: text('name').notNull(),
    address: text('address'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('sites_tenant_client').on(t.tenantId, t.clientId)],
);

export const devices = sqliteTable(
  'devices',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    clientId: text('client_id').notNull().references(() => clients.id),
    siteId: text('site_id').notNull().references(() => sites.id),
    /** As reported by the agent: hostile text, render as text only. */
    hostname: text('hostname').notNull(),
    displayName: text('display_name'),
    osPlatform: text('os_platform').notNull(),
    osName: text('os_name').notNull(),
    osVersion: text('os_version').notNull(),
    kernel: text('kernel'),
    arch: text('arch').notNull(),
    agentVersion: text('agent_version').notNull(),
    /** SHA-256 of the device token, hex. */
    tokenHash: text('token_hash').notNull(),
    status: text('status', { enum: ['online', 'offline'] }).notNull(),
    lastSeenAt: ts('last_seen_at'),
    /** Time of the last status change the TenantHub applied; guards against stale updates. */
    statusChangedAt: ts('status_changed_at'),
    ipAddresses: text('ip_addresses', { mode: 'json' }).$type<string[]>(),
    enrolledAt: ts('enrolled_at').notNull(),
    enrollmentKeyId: text('enrollment_key_id'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    uniqueIndex('devices_token').on(t.tokenHash),
    index('devices_tenant_host').on(t.tenantId, t.hostname),
    index('devices_tenant_client').on(t.tenantId, t.clientId),
    index('devices_tenant_status').on(t.tenantId, t.status),
  ],
);

export const deviceTags = sqliteTable(
  'device_tags',
  {
    tenantId: text('tenant_id').notNull(),
    deviceId: text('device_id').notNull().references(() => devices.id),
    tag: text('tag').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.tag] }), index('device_tags_tenant_tag').on(t.tenantId, t.tag)],
);

export const deviceGroups = sqliteTable(
  'device_groups',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('device_groups_tenant').on(t.tenantId)],
);

export const deviceGroupMembers = sqliteTable(
  'device_group_members',
  {
    tenantId: text('tenant_id').notNull(),
    groupId: text('group_id').notNull().references(() => deviceGroups.id),
    deviceId: text('device_id').notNull().references(() => devices.id),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.deviceId] }), index('dgm_device').on(t.deviceId)],
);

export const enrollmentKeys = sqliteTable(
  'enrollment_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    clientId: text('client_id').notNull().references(() => clients.id),
    siteId: text('site_id').notNull().references(() => sites.id),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    prefix: text('prefix').notNull(),
    expiresAt: ts('expires_at'),
    maxUses: integer('max_uses'),
    uses: integer('uses').notNull().default(0),
    revokedAt: ts('revoked_at'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('enrollment_keys_hash').on(t.keyHash), index('enrollment_keys_tenant').on(t.tenantId)],
);

export const commands = sqliteTable(
  'commands',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    deviceId: text('device_id').notNull().references(() => devices.id),
    type: text('type').notNull(),
    /** Command parameters as JSON (the script body included). */
    params: text('params', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    finishedAt: ts('finished_at'),
    exitCode: integer('exit_code'),
    durationMs: integer('duration_ms'),
    /** Combined output, capped at 1 MiB (the truncation marker included when cut). */
    output: text('output'),
    truncated: integer('truncated', { mode: 'boolean' }),
    error: text('error'),
    /** Set for a run of a bulk job. */
    jobId: text('job_id'),
    /** Set for a run of a library script (built-in ids are `builtin_<slug>`), with its version. */
    scriptId: text('script_id'),
    scriptVersion: integer('script_version'),
    /** What history shows: the script's name or a label such as "power: reboot". */
    label: text('label'),
  },
  (t) => [
    index('commands_tenant_device').on(t.tenantId, t.deviceId, t.id),
    index('commands_tenant_id').on(t.tenantId, t.id),
    index('commands_job').on(t.jobId),
  ],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    /** user id, api token id, device id or 'system'. */
    actorId: text('actor_id').notNull(),
    actorType: text('actor_type', { enum: ['user', 'token', 'device', 'system'] }).notNull(),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    ip: text('ip'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('audit_tenant').on(t.tenantId, t.id)],
);

/** Fixed-window counters for login, enrollment and other abuse-prone endpoints. */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: ts('window_start').notNull(),
  count: integer('count').notNull(),
});

// ---- Monitoring and alerting ----

export const SCOPE_TYPES = ['tenant', 'client', 'site', 'group', 'tag', 'device'] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

/** A named list of checks (JSON, validated by protocol/checks.ts CheckList on every write). */
export const checkSets = sqliteTable(
  'check_sets',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    checks: text('checks', { mode: 'json' }).$type<unknown[]>().notNull(),
    /** Escalation policy for alerts from these checks; null = the tenant's default policy. */
    escalationPolicyId: text('escalation_policy_id'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('check_sets_tenant').on(t.tenantId, t.name)],
);

/** Where a check set applies. scope_id is null for the whole tenant, the tag text for tags. */
export const checkSetAssignments = sqliteTable(
  'check_set_assignments',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    checkSetId: text('check_set_id').notNull().references(() => checkSets.id),
    scopeType: text('scope_type', { enum: SCOPE_TYPES }).notNull(),
    scopeId: text('scope_id'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('csa_unique').on(t.checkSetId, t.scopeType, t.scopeId),
    index('csa_tenant_scope').on(t.tenantId, t.scopeType, t.scopeId),
  ],
);

/** The last compiled effective checks of each device, as pushed to its DeviceHub. */
export const deviceChecks = sqliteTable('device_checks', {
  deviceId: text('device_id').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  version: text('version').notNull(),
  checks: text('checks', { mode: 'json' }).$type<unknown[]>().notNull(),
  compiledAt: ts('compiled_at').notNull(),
});

export const escalationPolicies = sqliteTable(
  'escalation_policies',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    /** JSON tiers (protocol/api/escalation.ts EscalationTier[]). */
    tiers: text('tiers', { mode: 'json' }).$type<unknown[]>().notNull(),
    /** After the last tier, notify it again this often until acknowledged; null = once. */
    repeatEveryMinutes: integer('repeat_every_minutes'),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('escalation_policies_tenant').on(t.tenantId)],
);

export const maintenanceWindows = sqliteTable(
  'maintenance_windows',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    scopeType: text('scope_type', { enum: ['client', 'site', 'group', 'device'] }).notNull(),
    scopeId: text('scope_id').notNull(),
    /** One-off: starts_at..ends_at. Recurring: a cron expression (in `timezone`) + duration. */
    startsAt: ts('starts_at'),
    endsAt: ts('ends_at'),
    cron: text('cron'),
    durationMinutes: integer('duration_minutes'),
    timezone: text('timezone').notNull().default('UTC'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('maintenance_windows_tenant').on(t.tenantId)],
);

/** One row per alert; at most one not-resolved alert per (device, check key). */
export const alerts = sqliteTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    deviceId: text('device_id').notNull(),
    clientId: text('client_id').notNull(),
    checkKey: text('check_key').notNull(),
    checkName: text('check_name').notNull(),
    checkType: text('check_type').notNull(),
    severity: text('severity', { enum: ['info', 'warning', 'critical'] }).notNull(),
    status: text('status', { enum: ['open', 'acknowledged', 'resolved'] }).notNull(),
    /** Built by the hub from the check and the measured value; may quote agent text. */
    message: text('message').notNull(),
    value: real('value'),
    openedAt: ts('opened_at').notNull(),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    resolvedAt: ts('resolved_at'),
    /** A user id, or 'auto' when the condition cleared. */
    resolvedBy: text('resolved_by'),
    /** True while the check keeps changing state; the alert is held open until it settles. */
    flapping: integer('flapping', { mode: 'boolean' }).notNull().default(false),
    /** Opened inside a maintenance window: recorded, notifies no one. */
    suppressed: integer('suppressed', { mode: 'boolean' }).notNull().default(false),
    escalationPolicyId: text('escalation_policy_id'),
    /** Tiers notified so far (0 = none yet). */
    escalationTier: integer('escalation_tier').notNull().default(0),
    transitions: integer('transitions').notNull().default(1),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('alerts_tenant_status').on(t.tenantId, t.status, t.id),
    index('alerts_tenant_device').on(t.tenantId, t.deviceId, t.id),
  ],
);

export const alertEvents = sqliteTable(
  'alert_events',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    alertId: text('alert_id').notNull(),
    at: ts('at').notNull(),
    /** opened, breach, clear, acknowledged, resolved, flapping, escalated, suppressed, severity. */
    kind: text('kind').notNull(),
    actorId: text('actor_id'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('alert_events_alert').on(t.alertId, t.at)],
);

/** In-app notifications, the target escalation tiers reach in this release. */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    alertId: text('alert_id'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: ts('created_at').notNull(),
    readAt: ts('read_at'),
  },
  (t) => [index('notifications_user').on(t.tenantId, t.userId, t.id)],
);
