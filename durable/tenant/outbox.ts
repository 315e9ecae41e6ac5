import { and, eq, ne } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { deliveries } from '../../db/integrations-schema';
import type { DeliveryResult, IntegrationEvent, IntegrationKind } from '../../protocol/api/integrations';
import { configHint, openConfig, type ConfigOf } from '../../worker/lib/integrations/config';
import { formatPayload } from '../../worker/lib/integrations/formatters';
import { webhookHeaders } from '../../worker/lib/integrations/signing';
import { stableId } from '../../worker/lib/ids';
import { jobSubject, type Job, type Schedule } from '../device/schedule';
import type { TenantJobKind } from './alert-lifecycle';
import { Flights } from './delivery-flights';
import type { Sendable } from './notify-config';

/** First retry after 30 s, doubling, never more than an hour apart, for a day. */
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_GAP_MS = 3600_000;
export const GIVE_UP_AFTER_MS = 24 * 3600_000;
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Deliveries a hub sends at the same time. */
export const DELIVERY_CONCURRENCY = 8;
/**
 * While a delivery is queued or being sent, its job waits this far ahead: the alarm's
 * fallback should the instance die before the outcome is recorded (a send takes at most
 * DELIVERY_TIMEOUT_MS plus two D1 writes; one still queued is pushed on again).
 */
export const IN_FLIGHT_GRACE_MS = 60_000;

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
  /** The integration a delivery goes to (NotifyConfig.sendable); null when the tenant has none such. */
  integration: (id: string, fresh: boolean) => Promise<Sendable | null>;
  /** Keeps the object alive while sends started by a call go on after it returned (ctx.waitUntil). */
  background?: (work: Promise<unknown>) => void;
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
 * The tenant's outbox: one D1 `deliveries` row per (integration, event), sent as soon as it
 * is stored and retried with backoff from the hub's alarm (job `deliver:<id>`) until
 * delivered or a day old. Sends run beside the hub's serial queue (see Flights), so a slow
 * receiver delays no alert; within the instance a delivery is never attempted twice at once.
 * The row is the truth: an attempt for a delivered or dead row sends nothing, so a job that
 * runs twice is harmless. Delivery is at least once (a send whose outcome was not recorded,
 * because D1 failed or the instance died, is sent again by the alarm); receivers drop
 * repeats by X-Tether-Delivery (Slack and Teams show them twice, which is rare).
 */
export class Outbox {
  private readonly flights: Flights;

  constructor(private readonly d: OutboxDeps) {
    this.flights = new Flights(DELIVERY_CONCURRENCY, d.background);
  }

  private db() {
    return drizzle(this.d.d1);
  }

  /**
   * Stores one delivery per target (once per event id) and starts sending the new ones
   * without waiting for them. Returns the ids. The rows and their fallback jobs are written
   * before any send starts, so nothing is lost if the instance dies meanwhile.
   */
  async enqueue(event: IntegrationEvent, targets: OutboxTarget[], now: number): Promise<string[]> {
    const { ids, fresh } = await this.store(event, targets, now);
    for (const id of ids) this.d.schedule.putIfAbsent('deliver', now + IN_FLIGHT_GRACE_MS, jobKey(id));
    // A row that already existed (a step retried whole) keeps its own schedule and backoff.
    for (const row of fresh) void this.fly(row.id, row);
    // One turn of the event loop lets the sends' sockets start now. Where D1 answers in-process
    // (the local runtime) a busy hub otherwise keeps the loop from polling network I/O, and
    // every send waits for the whole queue to drain (measured: a burst of 100 alerts).
    if (fresh.length > 0) await new Promise((resolve) => setTimeout(resolve, 0));
    return ids;
  }

  /**
   * The alarm's due `deliver` jobs: each is pushed IN_FLIGHT_GRACE_MS ahead and sent beside
   * the queue, unless a send of it is already under way (its outcome moves the job).
   */
  sendDue(jobs: Job<TenantJobKind>[], now: number): void {
    for (const job of jobs) {
      this.d.schedule.put('deliver', now + IN_FLIGHT_GRACE_MS, job.key);
      void this.fly(jobSubject(job));
    }
  }

  private fly(id: string, known?: Row): Promise<void> | null {
    return this.flights.start(id, async () => {
      try {
        await this.deliver(id, Date.now(), known);
      } catch (err) {
        // Its job is still there, IN_FLIGHT_GRACE_MS ahead: the alarm tries again.
        console.error('delivery attempt not recorded; retried by the alarm', id, err);
      }
      await this.d.schedule.arm();
    });
  }

  private async store(event: IntegrationEvent, targets: OutboxTarget[], now: number): Promise<{ ids: string[]; fresh: Row[] }> {
    if (targets.length === 0) return { ids: [], fresh: [] };
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
    // RETURNING answers only for rows this insert created: those are fresh, the rest existed.
    const [first, ...rest] = rows.map((r) => db.insert(deliveries).values(r).onConflictDoNothing().returning());
    const inserted = await db.batch([first!, ...rest]);
    return { ids: rows.map((r) => r.id), fresh: inserted.flat() };
  }

  private async row(id: string): Promise<Row | undefined> {
    const tenantId = await this.d.tenantId();
    return this.db().select().from(deliveries).where(and(eq(deliveries.id, id), eq(deliveries.tenantId, tenantId))).get();
  }

  /** One attempt, then delivered, a retry scheduled, or dead; the job follows the outcome. */
  private async deliver(id: string, now: number, known?: Row): Promise<void> {
    const row = known ?? (await this.row(id));
    if (!row || row.status === 'delivered' || row.status === 'dead') return this.d.schedule.remove(jobKey(id));
    const attempt = await this.attempt(row, now);
    // The last try falls on the deadline itself; a failure then (or a test, or a target that is gone) is final.
    const deadline = row.createdAt + GIVE_UP_AFTER_MS;
    if (attempt.ok || attempt.final || row.event === 'test' || now >= deadline) {
      await this.record(row, attempt, now, attempt.ok ? 'delivered' : 'dead');
      return this.d.schedule.remove(jobKey(id));
    }
    const next = Math.min(now + retryDelay(row.attempts + 1), deadline);
    await this.record(row, attempt, now, 'failed', next);
    this.d.schedule.put('deliver', next, jobKey(id));
  }

  /** A technician's "redeliver": one attempt now, whatever the row's state (after any send of it under way). */
  redeliver(id: string, now: number): Promise<DeliveryResult | null> {
    return this.flights.exclusive(id, async () => {
      const row = await this.row(id);
      if (!row) return null;
      const attempt = await this.attempt(row, now, true);
      // Automatic retries still running go on; otherwise a failed manual attempt leaves it dead.
      const retrying = this.d.schedule.has(jobKey(id)) && row.status !== 'delivered' && row.status !== 'dead';
      if (attempt.ok) this.d.schedule.remove(jobKey(id));
      const status = attempt.ok ? 'delivered' : retrying ? 'failed' : 'dead';
      await this.record(row, attempt, now, status, retrying ? row.nextAttemptAt : null, true);
      return result({ id, status, lastStatusCode: attempt.statusCode, lastError: attempt.error });
    });
  }

  /** "Send test message": stored like any delivery, sent at once, never retried. */
  async sendTest(event: IntegrationEvent, target: OutboxTarget, now: number): Promise<DeliveryResult> {
    const { ids, fresh } = await this.store(event, [target], now);
    const id = ids[0]!;
    await this.deliver(id, now, fresh[0]);
    return result((await this.row(id))!);
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
  /** `fresh`: a person is waiting, perhaps right after saving the integration; read it from D1. */
  private async attempt(row: Row, now: number, fresh = row.event === 'test'): Promise<Attempt> {
    const itg = await this.d.integration(row.integrationId, fresh);
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
