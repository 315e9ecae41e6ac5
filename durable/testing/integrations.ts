import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { deliveries, integrations, notificationPolicies } from '../../db/integrations-schema';
import { sealConfig, type ConfigOf, type IntegrationKind } from '../../worker/lib/integrations/config';
import { db, uid } from './fixtures';

/* Integrations test data: sealed integration rows, notification policies, the outbox's rows. */

export async function seedIntegration<K extends IntegrationKind>(tenantId: string, kind: K, config: ConfigOf[K], enabled = true) {
  const id = uid('itg');
  const now = Date.now();
  const configEnc = await sealConfig(env.TETHER_MASTER_KEY, config);
  await db().insert(integrations).values({ id, tenantId, kind, name: `${kind} ${id}`, enabled, configEnc, configHint: 'x', createdBy: 'usr_t', createdAt: now, updatedAt: now });
  return id;
}

export async function seedRoute(tenantId: string, integrationIds: string[], over: Partial<typeof notificationPolicies.$inferInsert> = {}) {
  const now = Date.now();
  await db()
    .insert(notificationPolicies)
    .values({ id: uid('ntp'), tenantId, name: 'On call', enabled: true, events: [], severities: [], clientIds: null, timeOfDay: null, integrationIds, createdAt: now, updatedAt: now, ...over });
}

export const deliveryRows = (integrationId: string) => db().select().from(deliveries).where(eq(deliveries.integrationId, integrationId)).all();
