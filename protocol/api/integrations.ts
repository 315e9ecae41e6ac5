import * as v from 'valibot';
import { Severity } from '../checks';
import { Id, Name, Timestamp, pageOf } from './common';

/*
 * Integrations (Slack, Teams, generic webhooks), the events they receive, the delivery log
 * and the notification policies that route events to them. An answer never holds a URL or
 * a secret: only `configHint` (host and last characters).
 */

export const IntegrationKind = v.picklist(['slack', 'teams', 'webhook']);
export type IntegrationKind = v.InferOutput<typeof IntegrationKind>;

export const INTEGRATION_EVENT_TYPES = [
  'alert.opened',
  'alert.acknowledged',
  'alert.resolved',
  /**
   * An unacknowledged alert reached an escalation tier: data.escalation holds the policy name,
   * the tier (1-based), the repeat round and who was paged. Sent to the integrations the
   * notification policies select and to those the tier names itself.
   */
  'alert.escalated',
  'ticket.created',
  'ticket.updated',
  /** A ticket missed its first-response or resolution due time (data.clock says which). */
  'ticket.sla_breached',
  'device.online',
  'device.offline',
  'test',
] as const;
export const IntegrationEventType = v.picklist(INTEGRATION_EVENT_TYPES);
export type IntegrationEventType = v.InferOutput<typeof IntegrationEventType>;

/** What a generic webhook receives as its JSON body (and what Slack and Teams messages are made from). */
export const IntegrationEvent = v.object({
  /** Stable for one happening: a receiver may drop an id it has already seen. */
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  type: IntegrationEventType,
  at: Timestamp,
  tenantId: Id,
  clientId: v.nullable(Id),
  severity: v.optional(Severity),
  data: v.record(v.string(), v.unknown()),
});
export type IntegrationEvent = v.InferOutput<typeof IntegrationEvent>;

export const Integration = v.object({
  id: Id,
  kind: IntegrationKind,
  name: v.string(),
  enabled: v.boolean(),
  /** e.g. `hooks.slack.com/…/x9Qa`: enough to tell two apart, never the URL itself. */
  configHint: v.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Integration = v.InferOutput<typeof Integration>;
export const IntegrationPage = pageOf(Integration);

/** Config shapes are checked per kind by the server (see the kind's documentation). */
const ConfigInput = v.record(v.string(), v.unknown());

export const CreateIntegrationBody = v.object({
  kind: IntegrationKind,
  name: Name,
  enabled: v.optional(v.boolean(), true),
  /**
   * slack: { webhookUrl, signingSecret? }; teams: { webhookUrl (a Workflows URL), outgoingSecret? };
   * webhook: { url, secret? } (without a secret the server makes one and answers it once).
   */
  config: ConfigInput,
});
export type CreateIntegrationBody = v.InferOutput<typeof CreateIntegrationBody>;

export const UpdateIntegrationBody = v.object({
  name: v.optional(Name),
  enabled: v.optional(v.boolean()),
  /** Replaces the whole config (same shape as on create). */
  config: v.optional(ConfigInput),
});
export type UpdateIntegrationBody = v.InferOutput<typeof UpdateIntegrationBody>;

/** The create answer: a secret the server generated is shown here once and never again. */
export const CreatedIntegration = v.object({ ...Integration.entries, generatedSecret: v.optional(v.string()) });

export const DeliveryStatus = v.picklist(['pending', 'delivered', 'failed', 'dead']);
export type DeliveryStatus = v.InferOutput<typeof DeliveryStatus>;

export const DeliverySummary = v.object({
  id: Id,
  integrationId: Id,
  event: v.string(),
  eventId: v.string(),
  status: DeliveryStatus,
  attempts: v.number(),
  nextAttemptAt: v.nullable(Timestamp),
  lastStatusCode: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
  createdAt: Timestamp,
  deliveredAt: v.nullable(Timestamp),
});
export type DeliverySummary = v.InferOutput<typeof DeliverySummary>;
export const DeliveryPage = pageOf(DeliverySummary);

/** One delivery with the exact body sent (it holds no secret: signatures travel in headers). */
export const Delivery = v.object({ ...DeliverySummary.entries, payload: v.string() });
export type Delivery = v.InferOutput<typeof Delivery>;

// ---- notification policies ----

const HHMM = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour'));
const validZone = v.check<string, string>((z) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: z });
    return true;
  } catch {
    return false;
  }
}, 'unknown time zone');

/** Local days and hours in which a policy applies; an end at or before the start runs past midnight. */
export const TimeOfDay = v.pipe(
  v.object({
    /** 0 = Sunday … 6 = Saturday: the day the period starts on. */
    days: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(6))), v.minLength(1, 'at least one day'), v.maxLength(7)),
    start: HHMM,
    end: HHMM,
    timezone: v.optional(v.pipe(v.string(), v.maxLength(64), validZone), 'UTC'),
  }),
  v.forward(v.check((t) => t.start !== t.end, 'start and end must differ'), ['end']),
);
export type TimeOfDay = v.InferOutput<typeof TimeOfDay>;

export const NotificationPolicy = v.object({
  id: Id,
  name: v.string(),
  enabled: v.boolean(),
  /** Empty = every event. */
  events: v.array(IntegrationEventType),
  /** Empty = every severity (events without one, such as device.offline, always match). */
  severities: v.array(Severity),
  /** null = every client. */
  clientIds: v.nullable(v.array(Id)),
  timeOfDay: v.nullable(TimeOfDay),
  integrationIds: v.array(Id),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type NotificationPolicy = v.InferOutput<typeof NotificationPolicy>;
export const NotificationPolicyPage = pageOf(NotificationPolicy);

export const CreateNotificationPolicyBody = v.object({
  name: Name,
  enabled: v.optional(v.boolean(), true),
  events: v.optional(v.pipe(v.array(IntegrationEventType), v.maxLength(INTEGRATION_EVENT_TYPES.length)), []),
  severities: v.optional(v.pipe(v.array(Severity), v.maxLength(3)), []),
  clientIds: v.optional(v.nullable(v.pipe(v.array(Id), v.minLength(1, 'null means every client'), v.maxLength(500))), null),
  timeOfDay: v.optional(v.nullable(TimeOfDay), null),
  integrationIds: v.pipe(v.array(Id), v.minLength(1, 'at least one integration'), v.maxLength(50)),
});
export type CreateNotificationPolicyBody = v.InferOutput<typeof CreateNotificationPolicyBody>;
export const UpdateNotificationPolicyBody = v.partial(CreateNotificationPolicyBody);
export type UpdateNotificationPolicyBody = v.InferOutput<typeof UpdateNotificationPolicyBody>;

/** The answer of "send test message" and of a redelivery: the attempt's outcome. */
export const DeliveryResult = v.object({
  deliveryId: Id,
  status: DeliveryStatus,
  lastStatusCode: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
});
export type DeliveryResult = v.InferOutput<typeof DeliveryResult>;
