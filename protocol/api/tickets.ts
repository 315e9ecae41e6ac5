import * as v from 'valibot';
import { isTimeZone } from '../business-hours';
import { Id, LongText, Name, Timestamp, pageOf } from './common';

/*
 * The service desk's REST bodies and answers: tickets, their comments, time entries,
 * attachments and history, SLA policies and business calendars.
 */

// The same lists as db/desk-schema.ts (kept literal here: the dashboard must not bundle drizzle).
export const TicketStatus = v.picklist(['new', 'open', 'pending', 'resolved', 'closed']);
export type TicketStatus = v.InferOutput<typeof TicketStatus>;
export const TicketPriority = v.picklist(['low', 'normal', 'high', 'urgent']);
export type TicketPriority = v.InferOutput<typeof TicketPriority>;
export const TicketSource = v.picklist(['alert', 'manual', 'portal', 'slack', 'teams']);

const Title = v.pipe(v.string(), v.trim(), v.minLength(1, 'required'), v.maxLength(200));
const whole = (what: string) => v.pipe(v.string(), v.regex(/^\d+$/, `${what} must be a whole number`), v.transform(Number));
const split = v.transform((s: string) => s.split(',').filter(Boolean));

export const CreateTicketBody = v.object({
  clientId: Id,
  siteId: v.optional(v.nullable(Id), null),
  deviceId: v.optional(v.nullable(Id), null),
  title: Title,
  description: v.optional(LongText, ''),
  priority: v.optional(TicketPriority, 'normal'),
  assigneeId: v.optional(v.nullable(Id), null),
});
export type CreateTicketBody = v.InferOutput<typeof CreateTicketBody>;

export const UpdateTicketBody = v.object({
  title: v.optional(Title),
  description: v.optional(LongText),
  priority: v.optional(TicketPriority),
  status: v.optional(TicketStatus),
  /** null unassigns. */
  assigneeId: v.optional(v.nullable(Id)),
});
export type UpdateTicketBody = v.InferOutput<typeof UpdateTicketBody>;

export const TicketListQuery = v.object({
  /** Comma-separated; default every status but closed. */
  status: v.optional(v.pipe(v.string(), split, v.array(TicketStatus))),
  priority: v.optional(v.pipe(v.string(), split, v.array(TicketPriority))),
  clientId: v.optional(Id),
  /** A user id, `me`, or `unassigned`. */
  assigneeId: v.optional(Id),
  source: v.optional(TicketSource),
  deviceId: v.optional(Id),
  /** Substring of title or description, or the ticket number (`42` or `#42`). */
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(v.pipe(whole('limit'), v.minValue(1), v.maxValue(500))),
});
export type TicketListQuery = v.InferOutput<typeof TicketListQuery>;

export const Ticket = v.object({
  id: Id,
  number: v.number(),
  clientId: Id,
  clientName: v.nullable(v.string()),
  siteId: v.nullable(Id),
  deviceId: v.nullable(Id),
  /** The device's display name or hostname as the agent reported it: text only. */
  hostname: v.nullable(v.string()),
  title: v.string(),
  description: v.string(),
  priority: TicketPriority,
  status: TicketStatus,
  assigneeId: v.nullable(Id),
  source: TicketSource,
  requesterId: v.nullable(v.string()),
  ruleId: v.nullable(v.string()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  firstResponseAt: v.nullable(Timestamp),
  resolvedAt: v.nullable(Timestamp),
  closedAt: v.nullable(Timestamp),
  slaPolicyId: v.nullable(v.string()),
  firstResponseDueAt: v.nullable(Timestamp),
  resolutionDueAt: v.nullable(Timestamp),
  firstResponseBreachedAt: v.nullable(Timestamp),
  resolutionBreachedAt: v.nullable(Timestamp),
  /** Set while the ticket is pending: the resolution clock is stopped, and its due time moves later by the business time spent pending. */
  slaPausedAt: v.nullable(Timestamp),
});
export type Ticket = v.InferOutput<typeof Ticket>;
export const TicketPage = pageOf(Ticket);

export const CreateCommentBody = v.object({
  body: v.pipe(v.string(), v.trim(), v.minLength(1, 'required'), v.maxLength(20_000)),
  /** Internal notes are for technicians only (never shown in the client portal). */
  internal: v.optional(v.boolean(), false),
});
export type CreateCommentBody = v.InferOutput<typeof CreateCommentBody>;

export const TicketComment = v.object({
  id: Id,
  authorId: v.nullable(v.string()),
  authorKind: v.string(),
  body: v.string(),
  internal: v.boolean(),
  createdAt: Timestamp,
});
export type TicketComment = v.InferOutput<typeof TicketComment>;

export const CreateTimeEntryBody = v.object({
  minutes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1440)),
  billable: v.optional(v.boolean(), true),
  note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2000)), ''),
  /** When the work was done; default now. At most a day ahead (clock skew), not before 2000. */
  workedAt: v.optional(v.pipe(v.number(), v.integer(), v.minValue(946_684_800_000))),
});
export type CreateTimeEntryBody = v.InferOutput<typeof CreateTimeEntryBody>;

export const TimeEntry = v.object({
  id: Id,
  userId: v.string(),
  minutes: v.number(),
  billable: v.boolean(),
  note: v.string(),
  workedAt: Timestamp,
  createdAt: Timestamp,
});
export type TimeEntry = v.InferOutput<typeof TimeEntry>;

export const TimeTotals = v.object({ billableMinutes: v.number(), nonBillableMinutes: v.number() });

export const TicketAttachment = v.object({
  id: Id,
  commentId: v.nullable(v.string()),
  filename: v.string(),
  contentType: v.string(),
  size: v.number(),
  sha256: v.string(),
  uploadedBy: v.nullable(v.string()),
  internal: v.boolean(),
  createdAt: Timestamp,
});
export type TicketAttachment = v.InferOutput<typeof TicketAttachment>;

/** Query of an upload (the body is the file itself; its name travels in `X-Filename`). */
export const UploadQuery = v.object({ internal: v.optional(v.picklist(['true', 'false'])) });

export const TicketEvent = v.object({
  id: Id,
  at: Timestamp,
  actorId: v.nullable(v.string()),
  kind: v.string(),
  detail: v.nullable(v.record(v.string(), v.unknown())),
});
export type TicketEvent = v.InferOutput<typeof TicketEvent>;

export const LinkedAlert = v.object({
  id: Id,
  deviceId: Id,
  checkName: v.string(),
  severity: v.string(),
  status: v.string(),
  message: v.string(),
  openedAt: Timestamp,
  resolvedAt: v.nullable(Timestamp),
  linkedAt: Timestamp,
});

export const TicketDetail = v.object({
  ticket: Ticket,
  alerts: v.array(LinkedAlert),
  comments: v.array(TicketComment),
  timeEntries: v.array(TimeEntry),
  timeTotals: TimeTotals,
  attachments: v.array(TicketAttachment),
  events: v.array(TicketEvent),
});
export type TicketDetail = v.InferOutput<typeof TicketDetail>;

/** Answer of "create a ticket from this alert" when the alert already has one. */
export const AlertTicketConflict = v.object({
  error: v.object({ code: v.string(), message: v.string() }),
  ticketId: Id,
});

// --- business calendars ---

const Minute = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1440));
const Span = v.pipe(
  v.tuple([Minute, Minute]),
  v.check(([s, e]) => s < e, 'a span ends after it starts'),
);
const Day = v.pipe(
  v.array(Span),
  v.maxLength(8),
  v.check((spans) => spans.every((s, i) => i === 0 || s[0] >= spans[i - 1]![1]), 'spans must be in order and must not overlap'),
);
const IsoDate = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
  v.check((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real date'),
);

export const CalendarBody = v.object({
  name: Name,
  timezone: v.pipe(v.string(), v.maxLength(64), v.check(isTimeZone, 'not a known IANA time zone')),
  /** 7 days, Sunday first; each a list of [startMinute, endMinute) spans of the local day. */
  hours: v.pipe(v.array(Day), v.length(7, 'seven days, Sunday first')),
  holidays: v.optional(v.pipe(v.array(IsoDate), v.maxLength(366)), []),
});
export type CalendarBody = v.InferOutput<typeof CalendarBody>;
export const UpdateCalendarBody = v.partial(CalendarBody);

export const BusinessCalendar = v.object({
  id: Id,
  name: v.string(),
  timezone: v.string(),
  hours: v.array(v.array(v.tuple([v.number(), v.number()]))),
  holidays: v.array(v.string()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type BusinessCalendar = v.InferOutput<typeof BusinessCalendar>;
export const BusinessCalendarPage = pageOf(BusinessCalendar);

// --- SLA policies ---

/** Business minutes; at most a year of round-the-clock minutes. */
const Target = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(525_600));
export const SlaTarget = v.object({ firstResponseMinutes: Target, resolutionMinutes: Target });
export const SlaTargets = v.object({
  low: v.optional(SlaTarget),
  normal: v.optional(SlaTarget),
  high: v.optional(SlaTarget),
  urgent: v.optional(SlaTarget),
});
export type SlaTargets = v.InferOutput<typeof SlaTargets>;

export const SlaPolicyBody = v.object({
  name: Name,
  /** null: the tenant's default policy (one per tenant); else the one policy of that client. */
  clientId: v.optional(v.nullable(Id), null),
  /** null: clocks run round the clock. */
  calendarId: v.optional(v.nullable(Id), null),
  /** A priority without a target gets no due times. */
  targets: SlaTargets,
});
export type SlaPolicyBody = v.InferOutput<typeof SlaPolicyBody>;
export const UpdateSlaPolicyBody = v.partial(SlaPolicyBody);
export type UpdateSlaPolicyBody = v.InferOutput<typeof UpdateSlaPolicyBody>;

export const SlaPolicy = v.object({
  id: Id,
  name: v.string(),
  clientId: v.nullable(Id),
  calendarId: v.nullable(Id),
  targets: SlaTargets,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SlaPolicy = v.InferOutput<typeof SlaPolicy>;
export const SlaPolicyPage = pageOf(SlaPolicy);
