import * as v from 'valibot';
import { CheckList, type CompiledCheck } from '../checks';
import { Id, LongText, Name, Timestamp, pageOf } from './common';
import { Tag } from './devices';

export const CheckSet = v.object({
  id: Id,
  name: v.string(),
  description: v.nullable(v.string()),
  checks: CheckList,
  escalationPolicyId: v.nullable(Id),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  assignmentCount: v.number(),
});
export type CheckSet = v.InferOutput<typeof CheckSet>;
export const CheckSetPage = pageOf(CheckSet);

export const CreateCheckSetBody = v.object({
  name: Name,
  description: v.optional(v.nullable(LongText)),
  checks: v.optional(CheckList, []),
  escalationPolicyId: v.optional(v.nullable(Id)),
});
export type CreateCheckSetBody = v.InferOutput<typeof CreateCheckSetBody>;

export const UpdateCheckSetBody = v.partial(CreateCheckSetBody);
export type UpdateCheckSetBody = v.InferOutput<typeof UpdateCheckSetBody>;

/** Where a set applies. `scopeId`: null for tenant, the tag text for tag, else an id. */
export const AssignmentScope = v.variant('scopeType', [
  v.object({ scopeType: v.literal('tenant'), scopeId: v.optional(v.null(), null) }),
  v.object({ scopeType: v.literal('client'), scopeId: Id }),
  v.object({ scopeType: v.literal('site'), scopeId: Id }),
  v.object({ scopeType: v.literal('group'), scopeId: Id }),
  v.object({ scopeType: v.literal('tag'), scopeId: Tag }),
  v.object({ scopeType: v.literal('device'), scopeId: Id }),
]);
export type AssignmentScope = v.InferOutput<typeof AssignmentScope>;

/** Most specific last: a device assignment overrides a tag's, which overrides a group's… */
export const SCOPE_PRECEDENCE = ['tenant', 'client', 'site', 'group', 'tag', 'device'] as const;

export const CreateAssignmentBody = v.intersect([v.object({ checkSetId: Id }), AssignmentScope]);
export type CreateAssignmentBody = v.InferOutput<typeof CreateAssignmentBody>;

export const Assignment = v.object({
  id: Id,
  checkSetId: Id,
  checkSetName: v.string(),
  scopeType: v.picklist(SCOPE_PRECEDENCE),
  scopeId: v.nullable(v.string()),
  /** Name of the client, site, group or device; the tag itself; null for the tenant. */
  scopeName: v.nullable(v.string()),
  createdAt: Timestamp,
});
export type Assignment = v.InferOutput<typeof Assignment>;
export const AssignmentPage = pageOf(Assignment);

/** A device's effective checks with where each came from, and each check's current state. */
export interface DeviceChecksView {
  version: string | null;
  compiledAt: number | null;
  checks: (CompiledCheck & { state: CheckStateView | null })[];
}
export interface CheckStateView {
  status: 'ok' | 'pending' | 'breach' | 'unknown';
  since: number;
  value: number | null;
  message: string;
  output?: string;
}
