import * as v from 'valibot';
import { ClientIds, Id, Name, Role, StaffRole, Timestamp, pageOf } from './common';

export const ApiToken = v.object({
  id: Id,
  userId: Id,
  name: v.string(),
  /** The first characters of the token, to recognise it. */
  prefix: v.string(),
  role: Role,
  clientIds: ClientIds,
  createdAt: Timestamp,
  expiresAt: v.nullable(Timestamp),
  lastUsedAt: v.nullable(Timestamp),
  revokedAt: v.nullable(Timestamp),
});
export type ApiToken = v.InferOutput<typeof ApiToken>;

export const ApiTokenPage = pageOf(ApiToken);
export type ApiTokenPage = v.InferOutput<typeof ApiTokenPage>;

/** role and clientIds default to the caller's own and can never exceed them. */
export const CreateTokenBody = v.object({
  name: Name,
  /** Portal users sign in to the portal; no token acts as one. */
  role: v.optional(StaffRole),
  clientIds: v.optional(ClientIds),
  expiresInDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650))),
});
export type CreateTokenBody = v.InferOutput<typeof CreateTokenBody>;

/** `token` is shown this once; only its hash is kept. */
export const CreatedToken = v.object({ token: v.string(), item: ApiToken });
export type CreatedToken = v.InferOutput<typeof CreatedToken>;
