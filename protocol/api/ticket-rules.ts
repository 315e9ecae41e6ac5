import * as v from 'valibot';
import { CheckDef, Severity } from '../checks';
import { BODY_TEMPLATE_MAX, Template, TITLE_TEMPLATE_MAX } from '../templates';
import { Id, Name, Timestamp, pageOf } from './common';
import { Tag } from './devices';
import { TicketPriority } from './tickets';

/*
 * Alert→ticket rules: which alerts open tickets, how the ticket reads (templates), its
 * priority, who gets it, how repeats join it and whether it closes with the alert.
 */

const CHECK_TYPES = CheckDef.options.map((o) => o.entries.type.literal);
export const CheckTypeName = v.picklist(CHECK_TYPES as [(typeof CHECK_TYPES)[number], ...(typeof CHECK_TYPES)[number][]]);

const list = <T extends v.GenericSchema>(item: T, max: number) => v.optional(v.pipe(v.array(item), v.maxLength(max)));

/** Every present list must contain the alert's value (tags: any of the device's tags); an absent or empty list matches all. */
export const RuleMatch = v.object({
  severities: list(Severity, 3),
  checkTypes: list(CheckTypeName, 20),
  clientIds: list(Id, 200),
  siteIds: list(Id, 200),
  tags: list(Tag, 50),
});
export type RuleMatch = v.InferOutput<typeof RuleMatch>;

export const DEFAULT_PRIORITY_MAP = { critical: 'urgent', warning: 'high', info: 'normal' } as const;

export const PriorityMap = v.object({
  critical: v.optional(TicketPriority, DEFAULT_PRIORITY_MAP.critical),
  warning: v.optional(TicketPriority, DEFAULT_PRIORITY_MAP.warning),
  info: v.optional(TicketPriority, DEFAULT_PRIORITY_MAP.info),
});
export type PriorityMap = v.InferOutput<typeof PriorityMap>;

const distinct = <T>(xs: T[]) => new Set(xs).size === xs.length;

export const Assignment = v.variant('mode', [
  v.object({ mode: v.literal('none') }),
  v.object({ mode: v.literal('fixed'), userId: Id }),
  /** Tickets go to each user in turn. */
  v.object({
    mode: v.literal('round_robin'),
    userIds: v.pipe(v.array(Id), v.minLength(1, 'at least one user'), v.maxLength(50), v.check(distinct, 'a user is listed twice')),
  }),
  /** The alert's client picks the user; other clients go to the fallback (or stay unassigned). */
  v.object({
    mode: v.literal('by_client'),
    byClient: v.pipe(
      v.record(Id, Id),
      v.check((m) => Object.keys(m).length <= 200, 'at most 200 clients'),
    ),
    fallbackUserId: v.optional(v.nullable(Id), null),
  }),
]);
export type Assignment = v.InferOutput<typeof Assignment>;

export const DedupMinutes = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_080));

export const DEFAULT_TITLE_TEMPLATE = '{{alert.checkName}} on {{device.displayName}}';
export const DEFAULT_BODY_TEMPLATE =
  '{{alert.message}}\n\nDevice: {{device.displayName}} ({{device.hostname}})\nClient: {{client.name}} / {{site.name}}\nSeverity: {{alert.severity}}\nOpened: {{alert.openedAt}}\nAlert: {{alert.url}}';

export const TitleTemplate = v.pipe(Template(TITLE_TEMPLATE_MAX), v.check((s) => s.trim().length > 0, 'required'));
export const BodyTemplate = Template(BODY_TEMPLATE_MAX);

export const CreateTicketRuleBody = v.object({
  name: Name,
  enabled: v.optional(v.boolean(), true),
  /** Rules are tried in position order (ties by age); default: after the last rule. */
  position: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000))),
  match: v.optional(RuleMatch, {}),
  titleTemplate: v.optional(TitleTemplate, DEFAULT_TITLE_TEMPLATE),
  bodyTemplate: v.optional(BodyTemplate, DEFAULT_BODY_TEMPLATE),
  priorityMap: v.optional(PriorityMap, {}),
  assignment: v.optional(Assignment, { mode: 'none' }),
  /** A repeat of the same check on the same device within this many minutes joins the open ticket (0: never). */
  dedupMinutes: v.optional(DedupMinutes, 60),
  /** Resolve the ticket once every alert linked to it has resolved. */
  closeOnResolve: v.optional(v.boolean(), false),
});
export type CreateTicketRuleBody = v.InferOutput<typeof CreateTicketRuleBody>;

export const UpdateTicketRuleBody = v.partial(CreateTicketRuleBody);
export type UpdateTicketRuleBody = v.InferOutput<typeof UpdateTicketRuleBody>;

export const TicketRule = v.object({
  id: Id,
  name: v.string(),
  enabled: v.boolean(),
  position: v.number(),
  match: RuleMatch,
  titleTemplate: v.string(),
  bodyTemplate: v.string(),
  priorityMap: v.object({ critical: TicketPriority, warning: TicketPriority, info: TicketPriority }),
  assignment: Assignment,
  dedupMinutes: v.number(),
  closeOnResolve: v.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TicketRule = v.InferOutput<typeof TicketRule>;
export const TicketRulePage = pageOf(TicketRule);

/** The listed rules take positions 0, 1, 2… in this order; unlisted rules follow in their current order. */
export const ReorderTicketRulesBody = v.object({
  ids: v.pipe(v.array(Id), v.minLength(1), v.maxLength(500), v.check(distinct, 'a rule is listed twice')),
});

export const PreviewTemplateBody = v.object({
  titleTemplate: TitleTemplate,
  bodyTemplate: v.optional(BodyTemplate, ''),
  /** Render against this alert of the tenant; without it, a built-in sample alert. */
  alertId: v.optional(Id),
});
export type PreviewTemplateBody = v.InferOutput<typeof PreviewTemplateBody>;

export const TemplatePreview = v.object({
  title: v.string(),
  body: v.string(),
  /** The alert rendered against; null for the sample. */
  alertId: v.nullable(Id),
});
export type TemplatePreview = v.InferOutput<typeof TemplatePreview>;
