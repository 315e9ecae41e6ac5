import { DurableObject } from 'cloudflare:workers';
import * as v from 'valibot';
import { PING, PONG } from '../protocol/limits';
import { TenantFeedFrame } from '../protocol/live';
import { HUB_HEADERS, type TenantHubStats, type CheckTransition, type CommandEvent, type CommandStepEvent, type DeviceStatusEvent } from './contracts';
import { applyDeviceStatus, deviceClientId } from './tenant/device-status';
import { broadcast, DASH_TAG, DashboardAttachment, hasDashboards, parseClientIds, sendToUser } from './tenant/dashboards';
import { jobSubject, Schedule, type Job } from './device/schedule';
import { ensureTenantTables } from './tenant/tenant-storage';
import { ConfigCache } from './tenant/config-cache';
import { AlertLifecycle, type TenantJobKind } from './tenant/alert-lifecycle';
import { TicketRuleCache } from './tenant/ticket-rule-cache';
import { SlaPolicyCache } from './tenant/sla-policy-cache';
import { TicketAutomation } from './tenant/ticket-automation';
import { Notifier } from './tenant/notifier';
import { TicketWatch } from './tenant/ticket-watch';
import { TicketChanged, type TicketChangedInput } from '../protocol/ticket-change';
import type { DeliveryResult } from '../protocol/api/integrations';
import { JobRunner } from './tenant/job-runner';
import { AssetAlerts } from './tenant/asset-alerts';
import { PatchRuns } from './tenant/patch-runs';

const TENANT_KEY = 'tenantId';

/**
 * One per tenant (`idFromName(tenantId)`): sees only changes (status transitions, command
 * events), keeps D1's device status current, and feeds the tenant's dashboards.
 */
export class TenantHub extends DurableObject<Env> {
  private readonly schedule: Schedule<TenantJobKind>;
  private readonly config: ConfigCache;
  private readonly alerts: AlertLifecycle;
  private readonly ticketRules: TicketRuleCache;
  private readonly slaPolicies: SlaPolicyCache;
  private readonly tickets: TicketAutomation;
  private readonly notifier: Notifier;
  private readonly ticketWatch: TicketWatch;
  private readonly jobs: JobRunner;
  private readonly assets: AssetAlerts;
  private readonly patchRuns: PatchRuns;
  /* Steps await D1, during which other calls may run: alert steps go one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  /* Calls since this instance started: the load a tenant puts on its hub (see stats()). */
  private readonly counts = { since: Date.now(), deviceStatus: 0, checkTransitions: 0, transitions: 0, commandEvents: 0, alertActions: 0 };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    ensureTenantTables(ctx.storage.sql);
    this.schedule = new Schedule<TenantJobKind>(ctx.storage.sql, ctx.storage);
    const tenantId = () => this.tenantId();
    this.config = new ConfigCache(env.DB, tenantId);
    this.ticketRules = new TicketRuleCache(env.DB, tenantId);
    this.slaPolicies = new SlaPolicyCache(env.DB, tenantId);
    this.tickets = new TicketAutomation({
      d1: env.DB,
      tenantId,
      rules: this.ticketRules,
      sla: this.slaPolicies,
      schedule: this.schedule,
      publish: (frame, clientId) => broadcast(this.ctx, frame, clientId),
      // Automation's own changes: integrations and SLA timers (it pushes its own frames).
      changed: (change, written) => this.ticketWatch.changed(v.parse(TicketChanged, change), false, written),
    });
    this.notifier = new Notifier({
      d1: env.DB,
      schedule: this.schedule,
      tenantId,
      masterKey: env.TETHER_MASTER_KEY,
      origin: () => this.origin(),
      policy: (id) => this.config.policy(id),
      integration: (id, fresh) => this.notifier.config.sendable(id, fresh),
      background: (work) => ctx.waitUntil(work),
    });
    this.ticketWatch = new TicketWatch({
      d1: env.DB,
      tenantId,
      schedule: this.schedule,
      announce: (event) => this.notifier.publish(event),
      publish: (frame, clientId) => broadcast(this.ctx, frame, clientId),
      notifyUser: (frame, userId) => sendToUser(this.ctx, frame, userId),
    });
    const deviceHub = (deviceId: string) => env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(deviceId));
    this.jobs = new JobRunner({
      d1: env.DB,
      sql: ctx.storage.sql,
      schedule: this.schedule,
      tenantId,
      masterKey: env.TETHER_MASTER_KEY,
      enqueue: (cmd, meta) => deviceHub(meta.deviceId).enqueue(cmd, meta),
      cancel: (deviceId, commandId) => deviceHub(deviceId).cancelCommand(commandId),
      publish: (frame, clientId) => broadcast(this.ctx, frame, clientId),
      background: (work) => ctx.waitUntil(work),
      windows: () => this.config.windows(),
    });
    this.alerts = new AlertLifecycle({
      d1: env.DB,
      sql: ctx.storage.sql,
      schedule: this.schedule,
      config: this.config,
      tenantId,
      publish: (frame, clientId) => broadcast(this.ctx, frame, clientId),
      notifyUser: (frame, userId) => sendToUser(this.ctx, frame, userId),
      afterChange: async (a, events) => {
        // Integrations first: their sends start at once instead of after the ticket rule's D1 work.
        await this.notifier.onAlertChange(a, events);
        await this.tickets.afterChange(a, events);
      },
    });
    this.assets = new AssetAlerts({
      d1: env.DB,
      sql: ctx.storage.sql,
      schedule: this.schedule,
      tenantId,
      masterKey: env.TETHER_MASTER_KEY,
      apply: (t) => this.alerts.onTransition(t),
      background: (work) => ctx.waitUntil(work),
      recheck: () => this.checkAssets(),
    });
    this.patchRuns = new PatchRuns({
      d1: env.DB,
      schedule: this.schedule,
      tenantId,
      masterKey: env.TETHER_MASTER_KEY,
      started: (jobId) => this.jobs.changed(jobId),
    });
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step, step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /* The hub is named after its tenant; the stored copy covers ids without a name. */
  private async tenantId(): Promise<string> {
    const id = this.ctx.id.name ?? (await this.ctx.storage.get<string>(TENANT_KEY));
    if (!id) throw new Error('tenant hub has no tenant id');
    return id;
  }

  async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('expected a WebSocket upgrade', { status: 426 });
    }
    const userId = request.headers.get(HUB_HEADERS.userId);
    const clientIds = parseClientIds(request.headers.get(HUB_HEADERS.clientIds));
    const tenantHeader = request.headers.get(HUB_HEADERS.tenantId);
    const name = this.ctx.id.name;
    const attachment = v.safeParse(DashboardAttachment, { userId, clientIds });
    if (!attachment.success || !tenantHeader || (name !== undefined && name !== tenantHeader)) {
      return new Response('bad hub headers', { status: 400 });
    }
    if (name === undefined) await this.ctx.storage.put(TENANT_KEY, tenantHeader);
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, [DASH_TAG]);
    server.serializeAttachment(attachment.output);
    server.send(JSON.stringify({ t: 'hello', serverTime: Date.now() } satisfies TenantFeedFrame));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Dashboards only listen; whatever they send (other than the auto-answered ping) is dropped. */
  async webSocketMessage(): Promise<void> {}

  /** Completes the closing handshake where the runtime has not already answered it. */
  async webSocketClose(ws: WebSocket): Promise<void> {
    try {
      ws.close(1000, 'closed');
    } catch {
      // already closed
    }
  }

  async deviceStatusChanged(evt: DeviceStatusEvent): Promise<{ applied: boolean }> {
    this.counts.deviceStatus++;
    const change = await applyDeviceStatus(this.env.DB, await this.tenantId(), evt);
    if (!change) return { applied: false };
    broadcast(this.ctx, { t: 'device', device: change }, change.clientId ?? null);
    await this.notifier.onDeviceStatus(change, evt.at);
    // A device coming back receives the jobs that waited for it.
    if (change.status === 'online') await this.jobs.deviceOnline(evt.deviceId).catch((err: unknown) => console.error('job dispatch on return failed', err));
    await this.schedule.arm();
    return { applied: true };
  }

  async commandEvent(evt: CommandEvent): Promise<void> {
    this.counts.commandEvents++;
    const jobId = this.jobs.onCommandEvent(evt);
    if (!hasDashboards(this.ctx)) return;
    const clientId = await deviceClientId(this.env.DB, await this.tenantId(), evt.deviceId);
    // A device this tenant does not own produces nothing.
    if (clientId === null) return;
    const { deviceId, commandId, status, exitCode, at } = evt;
    broadcast(this.ctx, { t: 'command', command: { deviceId, commandId, status, exitCode, at, ...(jobId ? { jobId } : {}) } }, clientId);
  }

  /** From DeviceHubs: a deployment's progress on a device (best effort; the done frame is the record). */
  async commandStep(evt: CommandStepEvent): Promise<void> {
    this.jobs.onCommandStep(evt);
  }

  /** From DeviceHubs: checks that changed state, in order. Throws (and the hub retries) if D1 fails. */
  async checkTransitions(list: CheckTransition[]): Promise<void> {
    this.counts.checkTransitions++;
    this.counts.transitions += list.length;
    await this.serial(async () => {
      for (const t of list) await this.alerts.onTransition(t);
      await this.schedule.arm();
    });
  }

  /** For the Worker, which has checked that the ids are the caller's to act on. */
  async alertAction(action: 'acknowledge' | 'resolve', ids: string[], actorId: string, note?: string) {
    this.counts.alertActions++;
    return this.serial(async () => {
      const result = await this.alerts.act(action, ids, actorId, note, Date.now());
      await this.schedule.arm();
      return result;
    });
  }

  /** Calls received since this instance started (it restarts after idling or a deploy). */
  async stats(): Promise<TenantHubStats> {
    const c = this.counts;
    const seconds = Math.max(1, (Date.now() - c.since) / 1000);
    const calls = c.deviceStatus + c.checkTransitions + c.commandEvents + c.alertActions;
    return { ...c, seconds, callsPerSecond: calls / seconds, openAlerts: this.alerts.active.unresolved().length };
  }

  /**
   * Maintenance windows, escalation policies, integrations, notification policies, ticket
   * rules, SLA policies or business calendars changed in D1. `origin`: the dashboard the
   * change came from, for links in chat messages.
   */
  async configChanged(origin?: string): Promise<void> {
    this.config.invalidate();
    this.ticketRules.invalidate();
    this.slaPolicies.invalidate();
    this.notifier.config.invalidate();
    if (origin) await this.ctx.storage.put('origin', new URL(origin).origin);
  }

  /**
   * For the Worker, after it wrote a ticket change to D1 (create, update, first reply):
   * dashboards, integrations (ticket.created / ticket.updated) and the SLA timers.
   * Not applied: a malformed change, or no such ticket of this tenant.
   */
  async ticketChanged(change: TicketChangedInput): Promise<{ applied: boolean }> {
    const parsed = v.safeParse(TicketChanged, change);
    if (!parsed.success) {
      console.error('ticketChanged: malformed change', v.flatten(parsed.issues).nested);
      return { applied: false };
    }
    return this.serial(async () => {
      const applied = await this.ticketWatch.changed(parsed.output, true);
      await this.schedule.arm();
      return { applied };
    });
  }

  async alarm(): Promise<void> {
    // Deliveries wait on other servers (up to 10 s each): they go out beside the queue, not in it.
    const start = Date.now();
    this.notifier.outbox.sendDue(this.schedule.due(start).filter((j) => j.kind === 'deliver'), start);
    await this.serial(async () => {
      const now = Date.now();
      for (const job of this.schedule.due(now)) {
        if (job.kind === 'deliver') continue;
        try {
          await this.runJob(job, now);
          this.schedule.removeIfDue(job);
        } catch (err) {
          console.error('tenant hub job failed', job.key, err);
          this.schedule.retry(job, now);
        }
      }
      await this.schedule.arm();
    });
  }

  private async runJob(job: Job<TenantJobKind>, now: number): Promise<void> {
    const id = jobSubject(job);
    switch (job.kind) {
      case 'escalate':
        return this.alerts.escalate(id, now);
      case 'settle':
        return this.alerts.settle(id, now);
      case 'maintenance_end':
        return this.alerts.maintenanceEnd(id, now);
      case 'prune':
        return this.alerts.prune(now);
      case 'ticket':
        return this.tickets.retry(id, now);
      case 'deliver': // sent by the outbox, beside the queue (see alarm())
        return;
      case 'sla':
        return this.ticketWatch.breach(id, now);
      case 'job_expire':
        return this.jobs.expire(id);
      case 'job_sweep':
        return this.jobs.sweep();
      case 'job_start':
        return this.jobs.start(id);
      case 'job_gate':
        return this.jobs.judgeGate(id);
      case 'retention':
        return this.jobs.retention(now);
      case 'assets':
        return this.assets.daily(now);
      case 'patch_schedule':
        return this.patchRuns.runDue(now);
      case 'patch_compliance':
        return this.patchRuns.daily(now);
    }
  }

  /* Links in chat messages: PUBLIC_URL, else the dashboard origin the Worker last passed on. */
  private async origin(): Promise<string> {
    if (this.env.PUBLIC_URL) return new URL(this.env.PUBLIC_URL).origin;
    return (await this.ctx.storage.get<string>('origin')) ?? 'http://localhost';
  }

  /** For the Worker ("send test message"): null when the integration is not this tenant's. */
  async sendTestDelivery(integrationId: string, origin: string): Promise<DeliveryResult | null> {
    await this.ctx.storage.put('origin', new URL(origin).origin);
    // Outside the queue: the receiver may take seconds to answer, and alerts must not wait for it.
    return this.notifier.sendTest(integrationId);
  }

  /** For the Worker: one more attempt of a delivery now (null when it is not this tenant's). */
  async redeliver(deliveryId: string): Promise<DeliveryResult | null> {
    const result = await this.notifier.outbox.redeliver(deliveryId, Date.now());
    await this.schedule.arm();
    return result;
  }

  /** For the Worker, after it created, approved, cancelled or retried a job in D1: the hub acts on its new status. */
  async jobChanged(jobId: string): Promise<void> {
    await this.jobs.changed(jobId);
  }

  /** For the Worker, after a warranty or licence changed: expiry alerts are judged again now. */
  async checkAssets(): Promise<void> {
    await this.serial(async () => {
      await this.assets.judge(Date.now());
      await this.schedule.arm();
    });
  }

  /** For the Worker, after a patch schedule was created, changed or deleted: the next run is armed. */
  async patchSchedulesChanged(): Promise<void> {
    await this.serial(async () => {
      await this.patchRuns.arm();
      await this.schedule.arm();
    });
  }

  /** For the Worker: device_added / device_removed. Without a clientId it goes to everyone. */
  async publish(frame: TenantFeedFrame, clientId?: string): Promise<void> {
    broadcast(this.ctx, v.parse(TenantFeedFrame, frame), clientId);
  }
}
