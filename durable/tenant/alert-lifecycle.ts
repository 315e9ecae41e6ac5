import type { Alert } from '../../protocol/api/alerts';
import type { TenantFeedFrame } from '../../protocol/live';
import { newId } from '../../worker/lib/ids';
import type { CheckTransition } from '../contracts';
import type { Schedule } from '../device/schedule';
import { ActiveAlerts, type ActiveAlert } from './active-alerts';
import { deviceScope, saveAlert, type AlertEventInput } from './alert-records';
import type { ConfigCache, InWindow } from './config-cache';
import { nextEscalationAt, notifyNext } from './escalation';

/** A repeat breach this soon after an automatic resolve reopens the alert as flapping. */
export const REOPEN_WINDOW_MS = 15 * 60_000;
/** A flapping alert resolves only after its condition stayed clear this long. */
export const SETTLE_MS = 15 * 60_000;

/** Bulk jobs (job-runner.ts): a job's deadline, the sweep while jobs run, the daily history retention. Daily expiry alerts (asset-alerts.ts). */
export type TenantJobKind = 'escalate' | 'settle' | 'maintenance_end' | 'prune' | 'ticket' | 'deliver' | 'sla' | 'job_expire' | 'job_sweep' | 'job_start' | 'job_gate' | 'retention' | 'assets' | 'patch_schedule' | 'patch_compliance';

export interface LifecycleDeps {
  d1: D1Database;
  sql: SqlStorage;
  schedule: Schedule<TenantJobKind>;
  config: ConfigCache;
  tenantId: () => Promise<string>;
  publish: (frame: TenantFeedFrame, clientId: string) => void;
  notifyUser: (frame: TenantFeedFrame, userId: string) => void;
  /**
   * Told of every committed change with the events it recorded (ticket automation,
   * integrations). Runs after D1 holds the change; a listener that throws fails the step,
   * which is then retried whole, so listeners must be idempotent too.
   */
  afterChange?: (a: ActiveAlert, events: AlertEventInput[]) => Promise<void>;
}

export const publicView = (a: ActiveAlert): Alert => {
  const { siteId: _s, condition: _c, lastAt: _l, escalationPolicyId: _e, repeats: _r, notifiedAt: _n, autoResolved: _a, ...view } = a;
  return view;
};

/**
 * Open → acknowledged → resolved, one alert per (device, check): transitions from the
 * DeviceHubs, actions from technicians, and the timers (escalation, flapping settle,
 * maintenance end). Every step writes D1 first and the hub's own state after, so a step
 * that fails is retried whole and a step that ran twice changes nothing the second time.
 */
export class AlertLifecycle {
  readonly active: ActiveAlerts;

  constructor(private readonly d: LifecycleDeps) {
    this.active = new ActiveAlerts(d.sql);
  }

  private async commit(a: ActiveAlert, events: AlertEventInput[]): Promise<void> {
    await saveAlert(this.d.d1, await this.d.tenantId(), a, events);
    if (a.status === 'resolved' && !a.autoResolved) this.active.remove(a.id);
    else this.active.put(a);
    this.d.publish({ t: 'alert', alert: publicView(a) }, a.clientId);
    await this.d.afterChange?.(a, events);
  }

  async onTransition(t: CheckTransition): Promise<void> {
    const cur = this.active.byKey(t.deviceId, t.checkKey);
    if (cur && t.at <= cur.lastAt) return; // already applied, or overtaken
    if (t.state === 'breach') return this.onBreach(cur, t);
    if (!cur || cur.status === 'resolved') return;
    const detail = { message: t.message, value: t.value };
    const base = { ...cur, condition: 'clear' as const, lastAt: t.at, updatedAt: t.at, transitions: cur.transitions + 1 };
    if (cur.flapping) {
      // Held open: it resolves only once the condition has stayed clear for a while.
      this.d.schedule.put('settle', t.at + SETTLE_MS, `settle:${cur.id}`);
      return this.commit(base, [{ kind: 'clear', at: t.at, detail: { ...detail, held: true } }]);
    }
    await this.resolveAuto(base, t.at, t.message, detail);
  }

  private async onBreach(cur: ActiveAlert | null, t: CheckTransition): Promise<void> {
    const detail = { message: t.message, value: t.value, severity: t.severity };
    if (cur && cur.status !== 'resolved') {
      this.d.schedule.remove(`settle:${cur.id}`);
      const events: AlertEventInput[] = [{ kind: 'breach', at: t.at, detail }];
      if (cur.severity !== t.severity) events.push({ kind: 'severity', at: t.at, detail: { from: cur.severity, to: t.severity } });
      return this.commit({ ...cur, severity: t.severity, message: t.message, value: t.value, condition: 'breach', lastAt: t.at, updatedAt: t.at, transitions: cur.transitions + 1 }, events);
    }
    if (cur && cur.autoResolved && (cur.resolvedAt ?? 0) >= t.at - REOPEN_WINDOW_MS) {
      // A window may have started since it first opened: the reopening is judged like an opening.
      const maintenance = await this.maintenanceFor(t.deviceId, t.at);
      const reopened: ActiveAlert = {
        ...cur,
        status: cur.acknowledgedAt !== null ? 'acknowledged' : 'open',
        severity: t.severity,
        message: t.message,
        value: t.value,
        condition: 'breach',
        lastAt: t.at,
        updatedAt: t.at,
        resolvedAt: null,
        resolvedBy: null,
        autoResolved: false,
        flapping: true,
        suppressed: maintenance !== null,
        transitions: cur.transitions + 1,
      };
      const events: AlertEventInput[] = [{ kind: 'flapping', at: t.at, detail: { ...detail, note: 'reopened within the flapping window; held open until it settles' } }];
      if (maintenance) events.push(this.suppress(reopened, maintenance, t.at));
      await this.commit(reopened, events);
      return this.scheduleEscalation(reopened, t.at);
    }
    await this.open(t);
  }

  private async open(t: CheckTransition): Promise<void> {
    const tenantId = await this.d.tenantId();
    const scope = await deviceScope(this.d.d1, tenantId, t.deviceId);
    if (!scope) return; // a device this tenant does not own (or no longer owns)
    const maintenance = await this.d.config.maintenance(t.deviceId, scope, t.at);
    const a: ActiveAlert = {
      id: newId('alr', t.at),
      deviceId: t.deviceId,
      clientId: scope.clientId,
      siteId: scope.siteId,
      hostname: scope.displayName ?? scope.hostname,
      checkKey: t.checkKey,
      checkName: t.checkName,
      checkType: t.checkType,
      severity: t.severity,
      status: 'open',
      message: t.message,
      value: t.value,
      openedAt: t.at,
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      resolvedBy: null,
      flapping: false,
      suppressed: maintenance !== null,
      escalationTier: 0,
      transitions: 1,
      updatedAt: t.at,
      condition: 'breach',
      lastAt: t.at,
      escalationPolicyId: t.escalationPolicyId,
      repeats: 0,
      notifiedAt: null,
      autoResolved: false,
    };
    const events: AlertEventInput[] = [{ kind: 'opened', at: t.at, detail: { message: t.message, value: t.value, severity: t.severity } }];
    if (maintenance) events.push(this.suppress(a, maintenance, t.at));
    await this.commit(a, events);
    if (!a.suppressed) await this.scheduleEscalation(a, t.at);
  }

  private async maintenanceFor(deviceId: string, at: number): Promise<InWindow | null> {
    const scope = await deviceScope(this.d.d1, await this.d.tenantId(), deviceId);
    return scope ? this.d.config.maintenance(deviceId, scope, at) : null;
  }

  /** The alert opened inside a window: say which, and look again when it ends. */
  private suppress(a: ActiveAlert, m: InWindow, at: number): AlertEventInput {
    if (m.endsAt !== null) this.d.schedule.put('maintenance_end', m.endsAt, `maintenance_end:${a.id}`);
    return { kind: 'suppressed', at, detail: { window: m.window.name, windowId: m.window.id, until: m.endsAt } };
  }

  private async resolveAuto(a: ActiveAlert, at: number, message: string, detail: Record<string, unknown>): Promise<void> {
    this.d.schedule.remove(`escalate:${a.id}`);
    this.d.schedule.remove(`settle:${a.id}`);
    this.d.schedule.remove(`maintenance_end:${a.id}`);
    const resolved: ActiveAlert = { ...a, status: 'resolved', resolvedAt: at, resolvedBy: 'auto', autoResolved: true, message, updatedAt: at };
    await this.commit(resolved, [{ kind: 'resolved', at, actorId: 'auto', detail }]);
    this.d.schedule.putIfAbsent('prune', at + REOPEN_WINDOW_MS + 60_000);
  }

  private async scheduleEscalation(a: ActiveAlert, now: number): Promise<void> {
    if (a.status !== 'open' || a.suppressed) return;
    const policy = await this.d.config.policy(a.escalationPolicyId);
    const due = policy ? nextEscalationAt(a, policy) : null;
    if (due === null) this.d.schedule.remove(`escalate:${a.id}`);
    else this.d.schedule.put('escalate', due, `escalate:${a.id}`);
  }

  // ---- technicians ----

  async act(action: 'acknowledge' | 'resolve', ids: string[], actorId: string, note: string | undefined, now: number) {
    const changed: string[] = [];
    const unchanged: string[] = [];
    for (const id of ids) {
      const a = this.active.byId(id);
      if (!a || a.status === 'resolved' || (action === 'acknowledge' && a.status === 'acknowledged')) {
        unchanged.push(id);
        continue;
      }
      this.d.schedule.remove(`escalate:${a.id}`);
      const detail = note ? { note } : undefined;
      if (action === 'acknowledge') {
        await this.commit({ ...a, status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: actorId, updatedAt: now }, [{ kind: 'acknowledged', at: now, actorId, detail }]);
      } else {
        this.d.schedule.remove(`settle:${a.id}`);
        this.d.schedule.remove(`maintenance_end:${a.id}`);
        await this.commit({ ...a, status: 'resolved', resolvedAt: now, resolvedBy: actorId, autoResolved: false, updatedAt: now }, [{ kind: 'resolved', at: now, actorId, detail }]);
      }
      changed.push(id);
    }
    return { changed, unchanged };
  }

  // ---- timers (each safe to run twice) ----

  async escalate(alertId: string, now: number): Promise<void> {
    const a = this.active.byId(alertId);
    if (!a || a.status !== 'open' || a.suppressed) return;
    const policy = await this.d.config.policy(a.escalationPolicyId);
    const due = policy ? nextEscalationAt(a, policy) : null;
    if (!policy || due === null) return;
    if (due > now) return this.scheduleEscalation(a, now);
    const sent = await notifyNext(this.d.d1, await this.d.tenantId(), a, policy, now);
    if (!sent) return;
    const next: ActiveAlert = {
      ...a,
      escalationTier: Math.min(a.escalationTier + 1, policy.tiers.length),
      repeats: sent.round,
      notifiedAt: now,
      updatedAt: now,
    };
    await this.commit(next, [{ kind: 'escalated', at: now, detail: { policy: policy.name, tier: sent.tier + 1, round: sent.round, notified: sent.userIds } }]);
    for (const n of sent.notifications) {
      this.d.notifyUser({ t: 'notification', userId: n.userId, notification: { id: n.id, alertId: a.id, title: n.title, body: n.body, createdAt: n.createdAt } }, n.userId);
    }
    await this.scheduleEscalation(next, now);
  }

  async settle(alertId: string, now: number): Promise<void> {
    const a = this.active.byId(alertId);
    if (!a || a.status === 'resolved' || a.condition !== 'clear') return;
    if (now - a.lastAt < SETTLE_MS) {
      this.d.schedule.put('settle', a.lastAt + SETTLE_MS, `settle:${a.id}`);
      return;
    }
    await this.resolveAuto(a, now, `${a.checkName}: stable again after flapping`, { settledAfterMs: now - a.lastAt });
  }

  /** The window ended with the alert still open: from now on it notifies as usual. */
  async maintenanceEnd(alertId: string, now: number): Promise<void> {
    const a = this.active.byId(alertId);
    if (!a || a.status === 'resolved' || !a.suppressed) return;
    const still = await this.maintenanceFor(a.deviceId, now);
    if (still) {
      if (still.endsAt !== null) this.d.schedule.put('maintenance_end', still.endsAt, `maintenance_end:${a.id}`);
      return;
    }
    const next = { ...a, suppressed: false, updatedAt: now };
    await this.commit(next, [{ kind: 'maintenance_ended', at: now }]);
    // Tiers count from the opening: whatever fell due during the window fires now.
    await this.scheduleEscalation(next, now);
  }

  prune(now: number): void {
    const oldest = this.active.pruneResolved(now - REOPEN_WINDOW_MS);
    if (oldest !== null) this.d.schedule.put('prune', oldest + REOPEN_WINDOW_MS + 60_000);
  }
}
