import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { alerts, devices, users } from '../../../db/schema';
import { chatUserLinks, integrations, replayGuard } from '../../../db/integrations-schema';
import type { AuthContext, Db } from '../../types';
import { alertScope, selectAlerts } from '../alert-query';
import { clientFilter } from '../roles';
import { openConfig, type ConfigOf } from './config';

/*
 * What the public chat endpoints (Slack, Teams) share: the integration a request names, the
 * replay guard, and the Tether user a chat user is linked to. These requests carry no session:
 * the integration's signature proves the sender, the link decides who acts.
 */

export async function loadInbound<K extends 'slack' | 'teams'>(db: Db, masterKey: string, kind: K, integrationId: string) {
  const row = await db
    .select()
    .from(integrations)
    .where(and(eq(integrations.id, integrationId), eq(integrations.kind, kind)))
    .get();
  if (!row || !row.enabled) return null;
  try {
    return { row, config: (await openConfig(masterKey, kind, row.configEnc)) as ConfigOf[K] };
  } catch {
    return null;
  }
}

/** True the first time `key` is seen before it expires; false for a replay. */
export async function claimReplay(db: Db, key: string, ttlMs: number, now = Date.now()): Promise<boolean> {
  // An expired entry is as good as absent: the signed timestamp window has closed for it anyway.
  const claimed = await db
    .insert(replayGuard)
    .values({ key, expiresAt: now + ttlMs })
    .onConflictDoUpdate({ target: replayGuard.key, set: { expiresAt: now + ttlMs }, setWhere: lt(replayGuard.expiresAt, now) })
    .returning({ key: replayGuard.key })
    .all();
  return claimed.length === 1;
}

/**
 * Drops expired entries now and then: expires_at has no index, so sweeping on every request
 * would scan the table each time; one request in 20 keeps it small enough.
 */
export async function pruneReplayGuard(db: Db, now = Date.now(), chance = 0.05): Promise<void> {
  if (Math.random() >= chance) return;
  await db.delete(replayGuard).where(lt(replayGuard.expiresAt, now)).run();
}

/** The linked Tether user as an auth context (their role and clients) with their name, or null. */
export async function linkedUser(
  db: Db,
  tenantId: string,
  integrationId: string,
  externalUserId: string,
): Promise<{ auth: AuthContext; name: string } | null> {
  const row = await db
    .select({ id: users.id, name: users.name, role: users.role, clientIds: users.clientIds })
    .from(chatUserLinks)
    .innerJoin(users, and(eq(users.id, chatUserLinks.userId), eq(users.tenantId, chatUserLinks.tenantId)))
    .where(
      and(
        eq(chatUserLinks.tenantId, tenantId),
        eq(chatUserLinks.integrationId, integrationId),
        eq(chatUserLinks.externalUserId, externalUserId),
        isNull(users.disabledAt),
      ),
    )
    .get();
  // A link made before the user was turned into a portal user must not reach staff commands.
  if (!row || row.role === 'client') return null;
  return { auth: { tenantId, userId: row.id, role: row.role, clientIds: row.clientIds ?? null, actorType: 'user', actorId: row.id }, name: row.name };
}

export interface ChatStatus {
  online: number;
  offline: number;
  open: { info: number; warning: number; critical: number };
  acknowledged: number;
}

/** Devices online/offline and unresolved alerts, as far as `auth` may see. */
export async function chatStatus(db: Db, auth: AuthContext): Promise<ChatStatus> {
  const [devs, open] = await db.batch([
    db
      .select({ status: devices.status, n: sql<number>`count(*)`.mapWith(Number) })
      .from(devices)
      .where(and(eq(devices.tenantId, auth.tenantId), clientFilter(auth, devices.clientId)))
      .groupBy(devices.status),
    db
      .select({ status: alerts.status, severity: alerts.severity, n: sql<number>`count(*)`.mapWith(Number) })
      .from(alerts)
      .where(and(alertScope(auth), inArray(alerts.status, ['open', 'acknowledged'])))
      .groupBy(alerts.status, alerts.severity),
  ]);
  const out: ChatStatus = { online: 0, offline: 0, open: { info: 0, warning: 0, critical: 0 }, acknowledged: 0 };
  for (const d of devs) out[d.status] += d.n;
  for (const a of open) {
    if (a.status === 'open') out.open[a.severity] += a.n;
    else out.acknowledged += a.n;
  }
  return out;
}

export function statusText(s: ChatStatus): string {
  return (
    `Devices: ${s.online} online, ${s.offline} offline. ` +
    `Open alerts: ${s.open.critical} critical, ${s.open.warning} warning, ${s.open.info} info; ${s.acknowledged} acknowledged.`
  );
}

/** The newest unresolved alerts `auth` may see. */
export async function unresolvedAlerts(db: Db, auth: AuthContext, limit: number) {
  return selectAlerts(db)
    .where(and(alertScope(auth), inArray(alerts.status, ['open', 'acknowledged'])))
    .orderBy(desc(alerts.id))
    .limit(limit)
    .all();
}

/** Chat requests are small; anything larger is refused before it is read whole or verified. */
export const MAX_INBOUND_BYTES = 64 * 1024;

/** The raw body, read once: signatures cover the exact bytes, so nothing may parse it first. */
export async function readRawBody(request: Request): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_INBOUND_BYTES) return null;
  const bytes = await request.arrayBuffer();
  return bytes.byteLength > MAX_INBOUND_BYTES ? null : new TextDecoder().decode(bytes);
}
