import type { Context } from 'hono';
import { auditLog } from '../../db/schema';
import type { AppEnv, Db } from '../types';
import { newId } from './ids';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
}

export function clientIp(c: Context): string | null {
  return c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? null;
}

/** The audit row for a privileged change, written in the same request that made it. */
export interface AuditActor {
  tenantId: string;
  actorId: string;
  actorType: 'user' | 'token' | 'device' | 'system';
}

export function auditRow(auth: AuditActor, entry: AuditEntry, ip: string | null) {
  return {
    id: newId('aud'),
    tenantId: auth.tenantId,
    actorId: auth.actorId,
    actorType: auth.actorType,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    detail: entry.detail ?? null,
    ip,
    createdAt: Date.now(),
  };
}

export async function audit(c: Context<AppEnv>, entry: AuditEntry): Promise<void> {
  await c.var.db.insert(auditLog).values(auditRow(c.var.auth, entry, clientIp(c)));
}

/** For use inside `db.batch([...])` so the change and its audit row commit together. */
export function auditInsert(db: Db, c: Context<AppEnv>, entry: AuditEntry) {
  return db.insert(auditLog).values(auditRow(c.var.auth, entry, clientIp(c)));
}
