import * as v from 'valibot';
import { Id, Name, StaffRole, Timestamp, pageOf } from './common';

/** After `afterMinutes` unacknowledged (counted from the alert's opening), notify these. */
export const EscalationTier = v.pipe(
  v.object({
    afterMinutes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_080)),
    userIds: v.optional(v.pipe(v.array(Id), v.maxLength(50)), []),
    roles: v.optional(v.pipe(v.array(StaffRole), v.maxLength(4)), []),
    /**
     * Integrations (Slack, Teams, webhooks) that get `alert.escalated` when this tier fires,
     * besides those the notification policies route it to. Ids of deleted integrations are ignored.
     */
    integrationIds: v.optional(v.pipe(v.array(Id), v.maxLength(10)), []),
  }),
  v.check((t) => t.userIds.length + t.roles.length + t.integrationIds.length > 0, 'a tier notifies at least one user, role or integration'),
);
export type EscalationTier = v.InferOutput<typeof EscalationTier>;

const Tiers = v.pipe(
  v.array(EscalationTier),
  v.minLength(1, 'at least one tier'),
  v.maxLength(10),
  v.check((tiers) => tiers.every((t, i) => i === 0 || t.afterMinutes > tiers[i - 1]!.afterMinutes), 'tiers must come at increasing times'),
);

export const CreateEscalationPolicyBody = v.object({
  name: Name,
  tiers: Tiers,
  /** After the last tier, notify it again every this many minutes until acknowledged. */
  repeatEveryMinutes: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(5), v.maxValue(10_080))), null),
  /** Used for alerts whose check set names no policy. One per tenant. */
  isDefault: v.optional(v.boolean(), false),
});
export type CreateEscalationPolicyBody = v.InferOutput<typeof CreateEscalationPolicyBody>;
export const UpdateEscalationPolicyBody = v.partial(CreateEscalationPolicyBody);
export type UpdateEscalationPolicyBody = v.InferOutput<typeof UpdateEscalationPolicyBody>;

export const EscalationPolicy = v.object({
  id: Id,
  name: v.string(),
  tiers: v.array(EscalationTier),
  repeatEveryMinutes: v.nullable(v.number()),
  isDefault: v.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type EscalationPolicy = v.InferOutput<typeof EscalationPolicy>;
export const EscalationPolicyPage = pageOf(EscalationPolicy);
