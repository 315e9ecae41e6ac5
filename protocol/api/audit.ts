import * as v from 'valibot';
import { Id, Timestamp, pageOf } from './common';

export const AuditEntry = v.object({
  id: Id,
  /** A user id, API token id, device id or 'system'. */
  actorId: v.string(),
  actorType: v.picklist(['user', 'token', 'device', 'system']),
  action: v.string(),
  targetType: v.nullable(v.string()),
  targetId: v.nullable(v.string()),
  detail: v.nullable(v.record(v.string(), v.unknown())),
  ip: v.nullable(v.string()),
  createdAt: Timestamp,
});
export type AuditEntry = v.InferOutput<typeof AuditEntry>;

export const AuditPage = pageOf(AuditEntry);
export type AuditPage = v.InferOutput<typeof AuditPage>;
