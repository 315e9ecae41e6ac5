import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';

/*
 * Integrations: Slack, Microsoft Teams and generic webhooks, out (deliveries) and in (signed
 * requests). URLs and secrets live only in `config_enc` (AES-GCM under TETHER_MASTER_KEY);
 * `config_hint` is what the API may show (host and the last characters).
 */

const ts = (name: string) => integer(name);

export const INTEGRATION_KINDS = ['slack', 'teams', 'webhook'] as const;
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'dead'] as const;

export const integrations = sqliteTable(
  'integrations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    kind: text('kind', { enum: INTEGRATION_KINDS }).notNull(),
    name: text('name').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** Encrypted JSON: slack { webhookUrl, signingSecret? }, teams { webhookUrl, outgoingSecret? }, webhook { url, secret }. */
    configEnc: text('config_enc').notNull(),
    /** Safe to show: e.g. `hooks.slack.com/…/a1b2`. */
    configHint: text('config_hint').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('integrations_tenant').on(t.tenantId, t.kind)],
);

/** One event to one integration: the outbox and the delivery log in one. */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    integrationId: text('integration_id').notNull(),
    /** alert.opened, alert.acknowledged, alert.resolved, ticket.created, ticket.updated, device.online, device.offline, test. */
    event: text('event').notNull(),
    /** The event's own id: (integration, event id) is delivered once. */
    eventId: text('event_id').notNull(),
    /** The exact body sent (Block Kit, Adaptive Card, or the signed JSON event). */
    payload: text('payload').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: ts('next_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull(),
    deliveredAt: ts('delivered_at'),
  },
  (t) => [index('deliveries_integration').on(t.tenantId, t.integrationId, t.id), index('deliveries_due').on(t.status, t.nextAttemptAt)],
);

/** Which events go to which integrations, by severity, client and time of day. */
export const notificationPolicies = sqliteTable(
  'notification_policies',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** JSON lists; an absent or empty list matches all. */
    events: text('events', { mode: 'json' }).$type<string[]>().notNull(),
    severities: text('severities', { mode: 'json' }).$type<string[]>().notNull(),
    clientIds: text('client_ids', { mode: 'json' }).$type<string[] | null>(),
    /** JSON: { days: number[] (0 = Sunday), start: 'HH:MM', end: 'HH:MM', timezone } or null (always). */
    timeOfDay: text('time_of_day', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    integrationIds: text('integration_ids', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('notification_policies_tenant').on(t.tenantId)],
);

/** A Slack (or Teams) user allowed to act as a Tether user. */
export const chatUserLinks = sqliteTable(
  'chat_user_links',
  {
    tenantId: text('tenant_id').notNull(),
    integrationId: text('integration_id').notNull(),
    /** Slack user id (U…), or Teams AAD object id. */
    externalUserId: text('external_user_id').notNull(),
    userId: text('user_id').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.externalUserId] })],
);

/** Signed inbound requests already acted on (a replayed click acts once). */
export const replayGuard = sqliteTable('replay_guard', {
  key: text('key').primaryKey(),
  expiresAt: ts('expires_at').notNull(),
});
