import * as desk from '../../db/desk-schema';
import { newId } from '../../worker/lib/ids';
import { db } from './fixtures';

/* A rule row as the API would store it (every field filled by the body schema); `over` changes any of them. */
export async function seedRule(tenantId: string, over: Partial<typeof desk.ticketRules.$inferInsert> = {}): Promise<string> {
  const id = newId('trl');
  await db()
    .insert(desk.ticketRules)
    .values({
      id,
      tenantId,
      name: 'Alerts to tickets',
      enabled: true,
      position: 0,
      match: {},
      titleTemplate: '{{alert.checkName}} on {{device.hostname}}',
      bodyTemplate: '{{alert.message}}',
      priorityMap: { critical: 'urgent', warning: 'high', info: 'normal' },
      assignment: { mode: 'none' },
      dedupMinutes: 60,
      closeOnResolve: false,
      createdAt: Date.now(),
      updatedAt: Date.now(),
      ...over,
    });
  return id;
}
