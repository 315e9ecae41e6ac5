import { and, eq, ne } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { deliveries, integrations } from '../../db/integrations-schema';
import type { DeliveryResult, IntegrationEvent, IntegrationKind } from '../../protocol/api/integrations';
import { configHint, openConfig, type ConfigOf } from '../../worker/lib/integrations/config';
import { formatPayload } from '../../worker/lib/integrations/formatters';
import { webhookHeaders } from '../../worker/lib/integrations/signing';
import { stableId } from '../../worker/lib/ids';
import type { Schedule } from '../device/schedule';
import type { TenantJobKind } from './alert-lifecycle';

/** First retry after 30 s, doubling, never more than an hour apart, for a day. */
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_GAP_MS = 3600_000;
export const GIVE_UP_AFTER_MS = 24 * 3600_000;
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Deliveries one alarm sends at the same time. */
export const DELIVERY_CONCURRENCY = 8;

/** Runs `step` over `items`, at most `size` at a time. */
export async function inBatches<T>(items: T[], size: number, step: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(step));
}

/** The wait after the `attempts`-th failed attempt, ±20 % so many failing targets do not retry in step. */
export function retryDelay(attempts: number, random = Math.random()): number {
  const base = Math.min(MAX_RETRY_GAP_MS, FIRST_RETRY_MS * 2 ** Math.min(Math.max(attempts - 1, 0), 20));
  return Math.min(MAX_RETRY_GAP_MS, Math.round(base * (0.8 + 0.4 * random)));
}

export interface OutboxDeps {
  d1: D1Database;
  schedule: Schedule<TenantJobKind>;
  tenantId: () => Promise<string>;
  masterKey: string;
  origin: () => Promise<string>;
}

export interface OutboxTarget {
  id: string;
  kind: IntegrationKind;
  name: string;
}

type Row = typeof deliveries.$inferSelect;
interface Attempt {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** No point retrying: the integration is gone or switched off. */
  final?: boolean;
}

const jobKey = (deliveryId: string) => `deliver:${deliveryId}`;
const result = (r: Pick<Row, 'id' | 'status' | 'lastStatusCode' | 'lastError'>): DeliveryResult => ({
  deliveryId: r.id,
  status: r.status,
  lastStatusCode: r.lastStatusCode,
  lastError: r.lastError,
});

/**
 * The tenant's outbox: one D1 `deliveries` row per (integration, event), sent by a hub job
 * `deliver:<id>` and retried with backoff until delivered or a day old. The row is the truth:
 * a job for a delivered or dead row sends nothing, so a job that runs twice is harmless.
 * Delivery is at least once (a send whose outcome D1 failed to record is sent again);
 * receivers drop repeats by X-Tether-Delivery.
 */
export class Outbox {
  constructor(private readonly d: OutboxDeps) {}

  private db() {
    return drizzle(this.d.d1);
  }

  /** Stores one delivery per target (once per event id) and schedules it now. Returns the ids. */
  async enqueue(event: IntegrationEvent, targets: OutboxTarget[], now: number): Promise<string[]> {
    if (targets.length === 0) return [];
    const tenantId = await this.d.tenantId();
    const origin = await this.d.origin();
    const rows = await Promise.all(
      targets.map(async (t) => ({
        id: await stableId('dlv', t.id, event.id),
        tenantId,
        integrationId: t.id,
        event: event.type,
        eventId: event.id,
        payload: await formatPayload(t.kind, event, { origin, integrationName: t.name, masterKey: this.d.masterKey }),
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      })),
    );
    const db = this.db();
    const [first, ...rest] = rows.map((r) => db.insert(deliveries).values(r).onConflictDoNothing());
    await db.batch([first!, ...rest]);
    for (const r of rows) this.d.schedule.putIfAbsent('deliver', now, jobKey(r.id));
    return rows.map((r) => r.id);
  }

  private async row(id: string): Promise<Row | undefined> {
    const tenantId = await this.d.tenantId();
    return this.db().select().from(deliveries).where(and(eq(deliveries.id, id), eq(deliveries.tenantId, tenantId))).get();
  }

  /** The `deliver:<id>` job: one attempt, then delivered, a retry scheduled, or dead. */
  async deliver(id: string, now: number): Promise<void> {
    const row = await this.row(id);
    if (!row || row.status === 'delivered' || row.status === 'dead') return;
    const attempt = await this.attempt(row, now);
    if (attempt.ok) return this.record(row, attempt, now, 'delivered');
    // The last try falls on the deadline itself; a failure then (or a test, or a target that is gone) is final.
    const deadline = row.createdAt + GIVE_UP_AFTER_MS;
    if (attempt.final || row.event === 'test' || now >= deadline) return this.record(row, attempt, now, 'dead');
    const next = Math.min(now + retryDelay(row.attempts + 1), deadline);
    await this.record(row, attempt, now, 'failed', next);
    this.d.schedule.put('deliver', next, jobKey(id));
  }

  /** A technician's "redeliver": one attempt now, whatever the row's state. */
  async redeliver(id: string, now: number): Promise<DeliveryResult | null> {
    const row = await this.row(id);
    if (!row) return null;
    const attempt = await this.attempt(row, now);
    // Automatic retries still running go on; otherwise a failed manual attempt leaves it dead.
    const retrying = this.d.schedule.has(jobKey(id)) && row.status !== 'delivered' && row.status !== 'dead';
    if (attempt.ok) this.d.schedule.remove(jobKey(id));
    const status = attempt.ok ? 'delivered' : retrying ? 'failed' : 'dead';
    await this.record(row, attempt, now, status, retrying ? row.nextAttemptAt : null, true);
    return result({ id, status, lastStatusCode: attempt.statusCode, lastError: attempt.error });
  }

  /** "Send test message": stored like any delivery, sent at once, never retried. */
  async sendTest(event: IntegrationEvent, target: OutboxTarget, now: number): Promise<DeliveryResult> {
    const [id] = await this.enqueue(event, [target], now);
    this.d.schedule.remove(jobKey(id!));
    await this.deliver(id!, now);
    const row = await this.row(id!);
    return result(row!);
  }

  private async record(row: Row, a: Attempt, now: number, status: Row['status'], nextAttemptAt: number | null = null, manual = false): Promise<void> {
    const tenantId = await this.d.tenantId();
    await this.db()
      .update(deliveries)
      .set({
        status,
        attempts: row.attempts + 1,
        nextAttemptAt,
        lastStatusCode: a.statusCode,
        lastError: a.error,
        ...(a.ok ? { deliveredAt: now } : {}),
      })
      // A job never turns a delivery already marked delivered back into a failure; a person may.
      .where(and(eq(deliveries.id, row.id), eq(deliveries.tenantId, tenantId), a.ok || manual ? undefined : ne(deliveries.status, 'delivered')));
  }

  /** One POST of the stored body. Errors name no URL or secret (they are shown in the log). */
  private async attempt(row: Row, now: number): Promise<Attempt> {
    const tenantId = await this.d.tenantId();
    const itg = await this.db()
      .select({ kind: integrations.kind, enabled: integrations.enabled, configEnc: integrations.configEnc })
      .from(integrations)
      .where(and(eq(integrations.id, row.integrationId), eq(integrations.tenantId, tenantId)))
      .get();
    if (!itg) return { ok: false, statusCode: null, error: 'integration deleted', final: true };
    if (!itg.enabled && row.event !== 'test') return { ok: false, statusCode: null, error: 'integration disabled', final: true };
    const config = await openConfig(this.d.masterKey, itg.kind, itg.configEnc);
    const url = itg.kind === 'webhook' ? (config as ConfigOf['webhook']).url : (config as ConfigOf['slack']).webhookUrl;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Tether-Webhooks/1' };
    if (itg.kind === 'webhook') {
      Object.assign(headers, await webhookHeaders((config as ConfigOf['webhook']).secret, row.payload, { event: row.event, deliveryId: row.id, now }));
    }
    try {
      const res = await fetch(url, { method: 'POST', headers, body: row.payload, redirect: 'manual', signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
      if (res.status >= 200 && res.status < 300) {
        await res.body?.cancel();
        return { ok: true, statusCode: res.status, error: null };
      }
      const text = (await res.text().catch(() => '')).slice(0, 200);
      return { ok: false, statusCode: res.status, error: redact(`HTTP ${res.status}${text ? `: ${text}` : ''}`, url, configHint(itg.kind, config)) };
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const message = timedOut ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : err instanceof Error ? err.message : String(err);
      return { ok: false, statusCode: null, error: redact(message.slice(0, 200), url, configHint(itg.kind, config)) };
    }
  }
}

/* A receiver or the runtime may echo the URL back; the log shows the hint instead. */
const redact = (text: string, url: string, hint: string) => text.split(url).join(hint);
