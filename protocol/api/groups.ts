import * as v from 'valibot';
import { Id, LongText, Name, Timestamp, pageOf } from './common';

/** A device group: cuts across clients and sites. */
export const Group = v.object({
  id: Id,
  name: v.string(),
  description: v.nullable(v.string()),
  createdAt: Timestamp,
  /** Members the caller may see (client-limited users count only their clients' devices). */
  deviceCount: v.number(),
});
export type Group = v.InferOutput<typeof Group>;

export const GroupPage = pageOf(Group);
export type GroupPage = v.InferOutput<typeof GroupPage>;

export const CreateGroupBody = v.object({ name: Name, description: v.optional(v.nullable(LongText)) });
export type CreateGroupBody = v.InferOutput<typeof CreateGroupBody>;

export const UpdateGroupBody = v.object({ name: v.optional(Name), description: v.optional(v.nullable(LongText)) });
export type UpdateGroupBody = v.InferOutput<typeof UpdateGroupBody>;

export const MAX_MEMBERS_PER_CALL = 500;

export const AddMembersBody = v.object({
  deviceIds: v.pipe(v.array(Id), v.minLength(1, 'at least one device'), v.maxLength(MAX_MEMBERS_PER_CALL)),
});
export type AddMembersBody = v.InferOutput<typeof AddMembersBody>;

export const MembersAdded = v.object({ added: v.number(), deviceCount: v.number() });
export type MembersAdded = v.InferOutput<typeof MembersAdded>;
