import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import * as schema from '../../db/schema';
import { CompiledCheck } from '../../protocol/checks';
import type { CheckTransition, DeviceChecksPush } from '../contracts';
import { newId } from '../../worker/lib/ids';
import { db, uid } from './fixtures';

/* Monitoring test data: compiled checks as the Worker would push them, D1 config rows. */

export function compiled(defs: Record<string, unknown>[], version = uid('v')): DeviceChecksPush {
  return {
    version,
    compiledAt: Date.now(),
    checks: defs.map((d) => v.parse(CompiledCheck, { setId: 'chk_set', setName: 'Baseline', escalationPolicyId: null, ...d })),
    agentConfig: null,
  };
}

export const cpuCheck = (threshold: number, over: Record<string, unknown> = {}) => ({
  key: 'cpu-high',
  name: 'CPU high',
  severity: 'critical',
  type: 'metric',
  metric: 'cpu',
  threshold,
  ...over,
});

export function transition(deviceId: string, state: 'breach' | 'clear', at: number, over: Partial<CheckTransition> = {}): CheckTransition {
  return {
    deviceId,
    checkKey: 'cpu-high',
    checkName: 'CPU high',
    checkType: 'metric',
    severity: 'critical',
    state,
    at,
    value: state === 'breach' ? 97 : 10,
    message: state === 'breach' ? 'CPU high: 97 %' : 'CPU high: 10 %, back to normal',
    escalationPolicyId: null,
    ...over,
  };
}

export async function alertRows(deviceId: string) {
  return db().select().from(schema.alerts).where(eq(schema.alerts.deviceId, deviceId)).all();
}

export async function alertEvents(alertId: string) {
  return db().select().from(schema.alertEvents).where(eq(schema.alertEvents.alertId, alertId)).orderBy(schema.alertEvents.at).all();
}

export async function seedUser(tenantId: string, role: 'owner' | 'admin' | 'technician' | 'readonly', clientIds: string[] | null = null) {
  // Real-length ids: what users have (and what frames and notification ids must fit).
  const id = newId('usr');
  await db().insert(schema.users).values({ id, tenantId, email: `${id}@example.test`, name: id, passwordHash: 'x', role, clientIds, createdAt: Date.now() });
  return id;
}

export async function seedPolicy(tenantId: string, tiers: unknown[], repeatEveryMinutes: number | null = null) {
  const id = uid('esc');
  await db().insert(schema.escalationPolicies).values({ id, tenantId, name: 'On call', tiers, repeatEveryMinutes, isDefault: true, createdAt: Date.now(), updatedAt: Date.now() });
  return id;
}

export async function seedWindow(tenantId: string, clientId: string, startsAt: number, endsAt: number) {
  const id = uid('mnt');
  await db().insert(schema.maintenanceWindows).values({ id, tenantId, name: 'Patch night', scopeType: 'client', scopeId: clientId, startsAt, endsAt, createdBy: 'usr_t', createdAt: Date.now() });
  return id;
}

export async function notificationsFor(tenantId: string) {
  return db().select().from(schema.notifications).where(and(eq(schema.notifications.tenantId, tenantId))).orderBy(schema.notifications.id).all();
}
