import * as v from 'valibot';
import { Id, LongText, Timestamp, pageOf } from './common';
import { TicketPriority, TicketStatus } from './tickets';

/*
 * The client portal (`/api/v1/portal/...`): users with the `client` role, limited to exactly
 * one client, open and follow that client's tickets and see its devices read-only.
 * Nothing here carries internal notes, time entries, assignees, SLA clocks or history.
 */

const whole = (what: string) => v.pipe(v.string(), v.regex(/^\d+$/, `${what} must be a whole number`), v.transform(Number));

export const PortalMe = v.object({
  user: v.object({ id: Id, email: v.string(), name: v.string() }),
  client: v.object({ id: Id, name: v.string() }),
  tenant: v.object({ id: Id, name: v.string() }),
});
export type PortalMe = v.InferOutput<typeof PortalMe>;

/** Clients may not mark their own tickets urgent: that is the technicians' call. */
export const PortalPriority = v.picklist(['low', 'normal', 'high']);

export const PortalCreateTicketBody = v.object({
  title: v.pipe(v.string(), v.trim(), v.minLength(1, 'required'), v.maxLength(200)),
  description: v.pipe(LongText, v.trim(), v.minLength(1, 'describe the problem')),
  priority: v.optional(PortalPriority, 'normal'),
  /** One of the client's own devices, or none. */
  deviceId: v.optional(v.nullable(Id), null),
});
export type PortalCreateTicketBody = v.InferOutput<typeof PortalCreateTicketBody>;

export const PortalTicketListQuery = v.object({
  /** open = new, open and pending; done = resolved and closed. Default open. */
  state: v.optional(v.picklist(['open', 'done', 'all']), 'open'),
  /** Only tickets this user opened. */
  mine: v.optional(v.picklist(['true', 'false'])),
  /** Substring of the title, or the ticket number (`42` or `#42`). */
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(v.pipe(whole('limit'), v.minValue(1), v.maxValue(200))),
});
export type PortalTicketListQuery = v.InferOutput<typeof PortalTicketListQuery>;

export const PortalTicket = v.object({
  id: Id,
  number: v.number(),
  title: v.string(),
  description: v.string(),
  priority: TicketPriority,
  status: TicketStatus,
  deviceId: v.nullable(Id),
  /** The device's name as the agent reported it: text only. */
  hostname: v.nullable(v.string()),
  /** Who opened it, when it was a portal user; null for tickets opened by the MSP. */
  requesterName: v.nullable(v.string()),
  /** Opened by the signed-in portal user. */
  mine: v.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  resolvedAt: v.nullable(Timestamp),
});
export type PortalTicket = v.InferOutput<typeof PortalTicket>;
export const PortalTicketPage = pageOf(PortalTicket);

export const PortalCommentBody = v.object({
  body: v.pipe(v.string(), v.trim(), v.minLength(1, 'required'), v.maxLength(20_000)),
});
export type PortalCommentBody = v.InferOutput<typeof PortalCommentBody>;

/** A public comment. Internal notes never appear. */
export const PortalComment = v.object({
  id: Id,
  authorName: v.string(),
  /** Written by the MSP's staff (or its automation) rather than by the client. */
  fromSupport: v.boolean(),
  body: v.string(),
  createdAt: Timestamp,
});
export type PortalComment = v.InferOutput<typeof PortalComment>;

export const PortalTicketDetail = v.object({ ticket: PortalTicket, comments: v.array(PortalComment) });
export type PortalTicketDetail = v.InferOutput<typeof PortalTicketDetail>;

export const PortalDeviceListQuery = v.object({
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(v.pipe(whole('limit'), v.minValue(1), v.maxValue(200))),
});

/** What a client sees of a device: no metrics, commands, checks or inventory. */
export const PortalDevice = v.object({
  id: Id,
  name: v.string(),
  os: v.nullable(v.string()),
  siteName: v.nullable(v.string()),
  status: v.picklist(['online', 'offline']),
  lastSeenAt: v.nullable(Timestamp),
  /** Unresolved alerts on the device (a count only; the alerts are the MSP's business). */
  openAlerts: v.number(),
});
export type PortalDevice = v.InferOutput<typeof PortalDevice>;
export const PortalDevicePage = pageOf(PortalDevice);
