import * as v from 'valibot';
import { ClientIds, Email, Id, Name, Password, Role, Timestamp, pageOf } from './common';

export const User = v.object({
  id: Id,
  email: v.string(),
  name: v.string(),
  role: Role,
  clientIds: ClientIds,
  createdAt: Timestamp,
  lastLoginAt: v.nullable(Timestamp),
  disabledAt: v.nullable(Timestamp),
});
export type User = v.InferOutput<typeof User>;

export const UserPage = pageOf(User);
export type UserPage = v.InferOutput<typeof UserPage>;

export const CreateUserBody = v.object({
  email: Email,
  name: Name,
  password: Password,
  role: Role,
  clientIds: v.optional(ClientIds, null),
});
export type CreateUserBody = v.InferOutput<typeof CreateUserBody>;

/**
 * Anyone may change their own name, email and password (the current password required);
 * role, clients and disabling are for admins, within their own scope.
 */
export const UpdateUserBody = v.object({
  name: v.optional(Name),
  email: v.optional(Email),
  password: v.optional(Password),
  currentPassword: v.optional(v.pipe(v.string(), v.maxLength(1024))),
  role: v.optional(Role),
  clientIds: v.optional(ClientIds),
  disabled: v.optional(v.boolean()),
});
export type UpdateUserBody = v.InferOutput<typeof UpdateUserBody>;
