import * as v from 'valibot';
import { Severity } from '../checks';
import { Id, Timestamp, pageOf } from './common';

export const AlertStatus = v.picklist(['open', 'acknowledged', 'resolved']);
export type AlertStatus = v.InferOutput<typeof AlertStatus>;

export const Alert = v.object({
  id: Id,
  deviceId: Id,
  clientId: Id,
  /** Hostname as the agent reported it: text only. */
  hostname: v.nullable(v.string()),
  checkKey: v.string(),
  checkName: v.string(),
  checkType: v.string(),
  severity: Severity,
  status: AlertStatus,
  message: v.string(),
  value: v.nullable(v.number()),
  openedAt: Timestamp,
  acknowledgedAt: v.nullable(Timestamp),
  acknowledgedBy: v.nullable(v.string()),
  resolvedAt: v.nullable(Timestamp),
  resolvedBy: v.nullable(v.string()),
  flapping: v.boolean(),
  suppressed: v.boolean(),
  escalationTier: v.number(),
  transitions: v.number(),
  updatedAt: Timestamp,
});
export type Alert = v.InferOutput<typeof Alert>;
export const AlertPage = pageOf(Alert);

const split = v.transform((s: string) => s.split(',').filter(Boolean));

export const AlertListQuery = v.object({
  /** Comma-separated; default open,acknowledged. */
  status: v.optional(v.pipe(v.string(), split, v.array(AlertStatus))),
  severity: v.optional(v.pipe(v.string(), split, v.array(Severity))),
  deviceId: v.optional(Id),
  clientId: v.optional(Id),
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
  /** Opened at or after / before (ms): chart markers ask for a time range. */
  from: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number))),
  to: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(1), v.maxValue(500)),
  ),
});

export const AlertAction = v.picklist(['acknowledge', 'resolve']);
export const BulkAlertBody = v.object({
  action: AlertAction,
  ids: v.pipe(v.array(Id), v.minLength(1), v.maxLength(500)),
  note: v.optional(v.pipe(v.string(), v.maxLength(1000))),
});
export type BulkAlertBody = v.InferOutput<typeof BulkAlertBody>;
export const BulkAlertResult = v.object({ changed: v.array(Id), unchanged: v.array(Id) });
export type BulkAlertResult = v.InferOutput<typeof BulkAlertResult>;

export const AlertEvent = v.object({
  id: Id,
  at: Timestamp,
  kind: v.string(),
  actorId: v.nullable(v.string()),
  detail: v.nullable(v.record(v.string(), v.unknown())),
});
export type AlertEvent = v.InferOutput<typeof AlertEvent>;

export const AlertSummary = v.object({
  open: v.object({ info: v.number(), warning: v.number(), critical: v.number() }),
  acknowledged: v.number(),
});
export type AlertSummary = v.InferOutput<typeof AlertSummary>;

export const AlertDetail = v.object({
  alert: Alert,
  events: v.array(AlertEvent),
  /** The ticket opened for this alert (by hand or by a rule); absent in acknowledge/resolve answers. */
  ticketId: v.optional(v.nullable(Id)),
});
export type AlertDetail = v.InferOutput<typeof AlertDetail>;

export const Notification = v.object({
  id: v.string(),
  alertId: v.nullable(v.string()),
  title: v.string(),
  body: v.string(),
  createdAt: Timestamp,
  readAt: v.nullable(Timestamp),
});
export type Notification = v.InferOutput<typeof Notification>;
export const NotificationPage = pageOf(Notification);
export const MarkReadBody = v.object({ ids: v.optional(v.pipe(v.array(v.string()), v.maxLength(500))) });
