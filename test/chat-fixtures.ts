import { env } from 'cloudflare:test';
import { integrations } from '../db/integrations-schema';
import { getDb } from '../worker/lib/db';
import { newId } from '../worker/lib/ids';
import { configHint, sealConfig, type SlackConfig, type TeamsConfig } from '../worker/lib/integrations/config';
import { receivedAt, receiverTarget } from './receiver-client';

/*
 * Chat integration fixtures: an integration row written straight to D1 with its config sealed
 * as the API would, and access to the local receiver (test/receiver.ts).
 */

export async function insertChatIntegration(
  tenant: { tenantId: string; userId: string },
  kind: 'slack' | 'teams',
  config: SlackConfig | TeamsConfig,
  enabled = true,
): Promise<string> {
  const id = newId('itg');
  const now = Date.now();
  await getDb(env)
    .insert(integrations)
    .values({
      id,
      tenantId: tenant.tenantId,
      kind,
      name: `${kind} ${id.slice(-4)}`,
      enabled,
      configEnc: await sealConfig(env.TETHER_MASTER_KEY, config),
      configHint: configHint(kind, config),
      createdBy: tenant.userId,
      createdAt: now,
      updatedAt: now,
    });
  return id;
}

/** A fresh path on the local receiver, and a way to read what arrived there. */
export function receiverHook(name: string) {
  const { path, url } = receiverTarget(name);
  const received = async (): Promise<{ method: string; headers: Record<string, string>; body: string }[]> =>
    (await receivedAt(path)) as { method: string; headers: Record<string, string>; body: string }[];
  return {
    url,
    received,
    /** Waits until `count` requests arrived (the Worker posts after answering, in waitUntil). */
    async waitFor(count = 1, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const list = await received();
        if (list.length >= count || Date.now() > until) return list;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
