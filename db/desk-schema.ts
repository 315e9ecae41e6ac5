import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

/*
 * Service desk tables: tickets and everything hanging off them, SLA targets and business
 * calendars, alert→ticket rules. Same rules as db/schema.ts: `tenant_id` everywhere,
 * millisecond timestamps, prefixed time-ordered ids.
 */

const ts = (name: string) => integer(name);

export const TICKET_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TICKET_SOURCES = ['alert', 'manual', 'portal', 'slack', 'teams'] as const;

/** The next ticket number per tenant (numbers are per tenant, start at 1, never reused). */
export const ticketCounters = sqliteTable('ticket_counters', {
  tenantId: text('tenant_id').primaryKey(),
  next: integer('next').notNull(),
});

export const tickets = sqliteTable(
  'tickets',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    number: integer('number').notNull(),
    clientId: text('client_id').notNull(),
    siteId: text('site_id'),
    deviceId: text('device_id'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    priority: text('priority', { enum: TICKET_PRIORITIES }).notNull(),
    status: text('status', { enum: TICKET_STATUSES }).notNull(),
    assigneeId: text('assignee_id'),
    source: text('source', { enum: TICKET_SOURCES }).notNull(),
    /** The user (technician or portal user) who opened it; null for automation. */
    requesterId: text('requester_id'),
    /** The rule that opened it and its dedup key (rule, device, check): repeats join it. */
    ruleId: text('rule_id'),
    dedupKey: text('dedup_key'),
    lastAlertAt: ts('last_alert_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    firstResponseAt: ts('first_response_at'),
    resolvedAt: ts('resolved_at'),
    closedAt: ts('closed_at'),
    /** SLA clocks, set from the matching SLA policy when the ticket opens or changes priority. */
    slaPolicyId: text('sla_policy_id'),
    firstResponseDueAt: ts('first_response_due_at'),
    resolutionDueAt: ts('resolution_due_at'),
    firstResponseBreachedAt: ts('first_response_breached_at'),
    resolutionBreachedAt: ts('resolution_breached_at'),
    /** Set while the ticket is pending (waiting on the customer): the resolution clock is stopped. */
    slaPausedAt: ts('sla_paused_at'),
    /** Business minutes spent pending so far; the resolution due time has been moved by them. */
    slaPausedMinutes: integer('sla_paused_minutes').notNull().default(0),
  },
  (t) => [
    uniqueIndex('tickets_tenant_number').on(t.tenantId, t.number),
    index('tickets_tenant_status').on(t.tenantId, t.status, t.id),
    index('tickets_tenant_client').on(t.tenantId, t.clientId, t.id),
    index('tickets_tenant_assignee').on(t.tenantId, t.assigneeId, t.status),
    index('tickets_tenant_dedup').on(t.tenantId, t.dedupKey, t.status),
  ],
);

export const ticketComments = sqliteTable(
  'ticket_comments',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    ticketId: text('ticket_id').notNull(),
    /** A user id; null when the system wrote it (an alert repeat, an SLA note). */
    authorId: text('author_id'),
    authorKind: text('author_kind', { enum: ['user', 'portal', 'system', 'slack', 'teams'] }).notNull(),
    body: text('body').notNull(),
    /** Internal notes are never shown to portal users. */
    internal: integer('internal', { mode: 'boolean' }).notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('ticket_comments_ticket').on(t.ticketId, t.id)],
);

export const ticketTimeEntries = sqliteTable(
  'ticket_time_entries',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    ticketId: text('ticket_id').notNull(),
    userId: text('user_id').notNull(),
    minutes: integer('minutes').notNull(),
    billable: integer('billable', { mode: 'boolean' }).notNull(),
    note: text('note').notNull().default(''),
    /** When the work was done (the technician may log it later). */
    workedAt: ts('worked_at').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('ticket_time_ticket').on(t.ticketId, t.workedAt), index('ticket_time_tenant_user').on(t.tenantId, t.userId, t.workedAt)],
);

export const ticketAttachments = sqliteTable(
  'ticket_attachments',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    ticketId: text('ticket_id').notNull(),
    commentId: text('comment_id'),
    /** As the uploader named it (display only; never part of the R2 key). */
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    /** `tickets/<tenantId>/<ticketId>/<attachmentId>`: built from ids only. */
    r2Key: text('r2_key').notNull(),
    uploadedBy: text('uploaded_by'),
    internal: integer('internal', { mode: 'boolean' }).notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('ticket_attachments_ticket').on(t.ticketId, t.id)],
);

/** Full history: every change to a ticket, who made it and what it was. */
export const ticketEvents = sqliteTable(
  'ticket_events',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    ticketId: text('ticket_id').notNull(),
    at: ts('at').notNull(),
    actorId: text('actor_id'),
    /** created, status, priority, assignee, title, comment, time, attachment, alert_linked, sla_breached, … */
    kind: text('kind').notNull(),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('ticket_events_ticket').on(t.ticketId, t.at)],
);

/** Links alerts to tickets (an alert has at most one ticket; a ticket may gather repeats). */
export const ticketAlerts = sqliteTable(
  'ticket_alerts',
  {
    tenantId: text('tenant_id').notNull(),
    ticketId: text('ticket_id').notNull(),
    alertId: text('alert_id').notNull(),
    linkedAt: ts('linked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.alertId] }), uniqueIndex('ticket_alerts_alert').on(t.alertId)],
);

/** Working hours for SLA clocks: per weekday [start, end) minutes of the day, in a time zone. */
export const businessCalendars = sqliteTable('business_calendars', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull(),
  /** JSON: 7 entries, Sunday first, each a list of [startMinute, endMinute] spans. */
  hours: text('hours', { mode: 'json' }).$type<[number, number][][]>().notNull(),
  /** JSON: ISO dates (YYYY-MM-DD) with no working hours. */
  holidays: text('holidays', { mode: 'json' }).$type<string[]>().notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** Targets by priority, for one client or (clientId null) the tenant's default. */
export const slaPolicies = sqliteTable(
  'sla_policies',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    clientId: text('client_id'),
    calendarId: text('calendar_id'),
    /** JSON: { [priority]: { firstResponseMinutes, resolutionMinutes } } in business minutes. */
    targets: text('targets', { mode: 'json' }).$type<Record<string, { firstResponseMinutes: number; resolutionMinutes: number }>>().notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('sla_policies_tenant').on(t.tenantId, t.clientId)],
);

/** Alert→ticket automation. Rules are tried in `position` order; the first match acts. */
export const ticketRules = sqliteTable(
  'ticket_rules',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    position: integer('position').notNull(),
    /** JSON: { severities?, checkTypes?, clientIds?, siteIds?, tags? }; an absent list matches all. */
    match: text('match', { mode: 'json' }).$type<Record<string, string[] | undefined>>().notNull(),
    titleTemplate: text('title_template').notNull(),
    bodyTemplate: text('body_template').notNull(),
    /** JSON: severity → ticket priority. */
    priorityMap: text('priority_map', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    /** JSON: { mode: 'none' | 'fixed' | 'round_robin' | 'by_client', userIds?, byClient? }. */
    assignment: text('assignment', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** Round robin: index of the last user given a ticket. */
    rrCursor: integer('rr_cursor').notNull().default(0),
    dedupMinutes: integer('dedup_minutes').notNull(),
    closeOnResolve: integer('close_on_resolve', { mode: 'boolean' }).notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('ticket_rules_tenant').on(t.tenantId, t.position)],
);
