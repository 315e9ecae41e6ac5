import type { CheckOf, CheckResult, CompiledCheck } from '../../protocol/checks';
import type { EventEntry, StateFrame } from '../../protocol/device-state';
import type { MetricsSample } from '../../protocol/metrics';
import type { CheckTransition, DeviceChecksPush } from '../contracts';
import { diskFree, metricValue } from './check-metrics';
import {
  antivirusBreach,
  eventMatches,
  firewallBreach,
  initialState,
  isTransition,
  rebootBreach,
  smartBreach,
  stepAgentResult,
  stepCondition,
  stepMetric,
  type CheckState,
} from './check-rules';
import { CheckStore } from './check-store';
import type { HubState } from './hub-state';
import { changeMessage, type InventoryChange } from './inventory-changes';
import { broadcastToViewers } from './sockets';

const FLUSH_RETRY_MS = 5_000;
const eventClearKey = (key: string) => `event_clear:${key}`;

/**
 * Evaluates the device's compiled checks against everything the agent reports, locally,
 * and sends only transitions (breach, clear) to the TenantHub.
 */
export class CheckEngine {
  readonly store: CheckStore;
  private compiled: CompiledCheck[] | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly s: HubState) {
    this.store = new CheckStore(s.ctx.storage.sql);
  }

  checks(): CompiledCheck[] {
    this.compiled ??= (this.s.meta.get('checks')?.checks ?? []).filter((c) => c.enabled);
    return this.compiled;
  }

  private ofType<T extends CompiledCheck['type']>(type: T): (CompiledCheck & { type: T })[] {
    return this.checks().filter((c): c is CompiledCheck & { type: T } => c.type === type);
  }

  // ---- inputs ----

  /** New checks from the Worker: states of removed checks go, and everything is re-judged now. */
  async apply(push: DeviceChecksPush, now: number): Promise<void> {
    const before = new Map((this.s.meta.get('checks')?.checks ?? []).map((c) => [c.key, c]));
    this.s.meta.set('checks', push);
    this.compiled = null;
    const keep = new Set(this.checks().map((c) => c.key));
    for (const [key, state] of [...this.store.all()]) {
      if (keep.has(key)) continue;
      const old = before.get(key);
      if (state.status === 'breach') {
        const c = { key, name: old?.name ?? key, type: old?.type ?? 'unknown', severity: state.severity, escalationPolicyId: old?.escalationPolicyId ?? null };
        this.queue(c, 'clear', state, now, 'check removed or disabled');
      }
      this.store.remove(key);
      this.s.schedule.remove(eventClearKey(key));
    }
    if (this.s.latest) this.onSample(this.s.latest, now);
    for (const section of ['security', 'smart'] as const) {
      const rec = this.s.records.section(section);
      if (rec) this.onSection({ section, data: rec.data } as StateFrame, now);
    }
    this.onPresence(this.s.reported?.status === 'online' && this.s.agent() !== null, now);
    await this.flush();
  }

  onSample(m: MetricsSample, now: number): void {
    for (const c of this.ofType('metric')) this.commit(c, (prev) => stepMetric(prev, c, metricValue(m, c.metric), now), now);
    for (const c of this.ofType('disk_free')) {
      const d = diskFree(m, c);
      this.commit(c, (prev) => stepCondition(prev, c.severity, d.value === null ? null : d.breach, d.message, now, d.value), now);
    }
  }

  onSection(frame: Pick<StateFrame, 'section' | 'data'>, now: number): void {
    if (frame.section === 'security') {
      const sec = frame.data as Extract<StateFrame, { section: 'security' }>['data'];
      for (const c of this.ofType('firewall')) {
        const f = firewallBreach(sec);
        this.commit(c, (prev) => stepCondition(prev, c.severity, f.breach, f.message, now), now);
      }
      for (const c of this.ofType('antivirus')) {
        const a = antivirusBreach(sec);
        this.commit(c, (prev) => stepCondition(prev, c.severity, a.breach, a.message, now), now);
      }
      for (const c of this.ofType('reboot_pending')) {
        const r = rebootBreach(sec, c.days, now);
        this.commit(c, (prev) => stepCondition(prev, c.severity, r.breach, r.message, now, r.value), now);
      }
    } else if (frame.section === 'smart') {
      const smart = smartBreach(frame.data as Extract<StateFrame, { section: 'smart' }>['data']);
      for (const c of this.ofType('smart')) this.commit(c, (prev) => stepCondition(prev, c.severity, smart.breach, smart.message, now), now);
    }
  }

  onEvents(entries: EventEntry[], now: number): void {
    for (const c of this.ofType('event_log')) {
      const pattern = c.pattern ? safeRegExp(c.pattern) : null;
      const hits = entries.filter((e) => eventMatches(c, e, pattern));
      if (hits.length === 0) continue;
      const last = hits[hits.length - 1]!;
      const quoted = last.message.length > 300 ? `${last.message.slice(0, 300)}…` : last.message;
      this.commit(
        c,
        (prev) => ({
          ...stepCondition(prev, c.severity, true, `${hits.length} matching event(s); last from ${last.source}: ${quoted}`, now, null),
          counter: now,
        }),
        now,
      );
      this.s.schedule.put('event_clear', now + c.clearAfterMinutes * 60_000, eventClearKey(c.key));
    }
  }

  /** A snapshot was applied: inventory_change checks judge its changes as event_log checks judge entries. */
  onInventoryChanges(changes: InventoryChange[], now: number): void {
    if (changes.length === 0) return;
    const host = this.s.meta.get('info')?.hostname ?? this.s.identity?.deviceId ?? 'device';
    for (const c of this.ofType('inventory_change')) {
      const pattern = c.pattern ? safeRegExp(c.pattern) : null;
      const hits = changes.filter((x) => c.kinds.includes(x.kind) && (pattern === null || pattern.test(x.subject)));
      if (hits.length === 0) continue;
      const more = hits.length > 1 ? ` (and ${hits.length - 1} more)` : '';
      const message = `${changeMessage(hits[0]!, host)}${more}`;
      this.commit(c, (prev) => ({ ...stepCondition(prev, c.severity, true, message, now, null), counter: now }), now);
      this.s.schedule.put('event_clear', now + c.clearAfterMinutes * 60_000, eventClearKey(c.key));
    }
  }

  /** Job: no matching event (or inventory change) for the whole window, so the alert clears. */
  eventClearJob(jobKey: string, now: number): void {
    const key = jobKey.slice(eventClearKey('').length);
    const c = this.checks().find(
      (x): x is CompiledCheck & { type: 'event_log' | 'inventory_change' } => x.key === key && (x.type === 'event_log' || x.type === 'inventory_change'),
    );
    const state = this.store.get(key);
    if (!c || !state || state.status !== 'breach') return;
    const quietFor = now - state.counter;
    if (quietFor < c.clearAfterMinutes * 60_000) {
      this.s.schedule.put('event_clear', state.counter + c.clearAfterMinutes * 60_000, jobKey);
      return;
    }
    const what = c.type === 'event_log' ? 'event' : 'inventory change';
    this.commit(c, (prev) => stepCondition(prev, c.severity, false, `no matching ${what} for ${c.clearAfterMinutes} min`, now), now);
  }

  onResults(version: string, results: CheckResult[], now: number): void {
    // Results for a config this hub no longer holds describe checks that may be gone.
    if (this.s.meta.get('checks')?.version !== version) return;
    const byKey = new Map(this.checks().map((c) => [c.key, c]));
    for (const r of results) {
      const c = byKey.get(r.key);
      if (c) this.commit(c, (prev) => stepAgentResult(prev, c, r, now), now);
    }
  }

  /** Presence changed (or checks changed): offline checks fire now or after their delay. */
  onPresence(online: boolean, now: number): void {
    for (const c of this.ofType('offline')) {
      if (online) {
        this.s.schedule.remove(`offline_alert:${c.key}`);
        this.commit(c, (prev) => stepCondition(prev, c.severity, false, 'device is online', now), now);
        continue;
      }
      const offlineSince = this.s.reported?.status === 'offline' ? this.s.reported.at : now;
      const due = offlineSince + c.afterMinutes * 60_000;
      if (due <= now) this.offlineBreach(c, offlineSince, now);
      else this.s.schedule.put('offline_alert', due, `offline_alert:${c.key}`);
    }
  }

  /** Job: the device stayed offline for the check's delay. */
  offlineAlertJob(jobKey: string, now: number): void {
    const key = jobKey.slice('offline_alert:'.length);
    const c = this.ofType('offline').find((x) => x.key === key);
    if (!c || this.s.reported?.status !== 'offline') return;
    this.offlineBreach(c, this.s.reported.at, now);
  }

  private offlineBreach(c: CheckOf<'offline'> & CompiledCheck, since: number, now: number): void {
    const mins = Math.round((now - since) / 60_000);
    const message = `device offline${mins >= 1 ? ` for ${mins} min` : ''} (no heartbeat since ${new Date(this.s.lastSeenAt ?? since).toISOString()})`;
    this.commit(c, (prev) => stepCondition(prev, c.severity, true, message, now), now);
  }

  // ---- state and transitions ----

  private commit(c: CompiledCheck, step: (prev: CheckState) => CheckState, now: number): void {
    const prev = this.store.get(c.key) ?? initialState(now, c.severity);
    const next = step(prev);
    const durable =
      prev.status !== next.status || prev.pendingSince !== next.pendingSince || prev.severity !== next.severity || prev.counter !== next.counter;
    // Values move every sample; only a change of state costs a row write.
    this.store.put(c.key, next, durable || !this.store.get(c.key));
    if (isTransition(prev, next)) {
      this.queue(
        { key: c.key, name: c.name, type: c.type, severity: next.severity, escalationPolicyId: c.escalationPolicyId },
        next.status === 'breach' ? 'breach' : 'clear',
        next,
        now,
      );
    }
    if (prev.status !== next.status) broadcastToViewers(this.s.ctx, { t: 'check', key: c.key, status: next.status, at: now });
  }

  private queue(
    c: { key: string; name: string; type: string; severity: CheckState['severity']; escalationPolicyId: string | null },
    state: 'breach' | 'clear',
    st: CheckState,
    _now: number,
    message = st.message,
  ): void {
    const id = this.s.identity;
    if (!id) return;
    this.store.queue({
      deviceId: id.deviceId,
      checkKey: c.key,
      checkName: c.name,
      checkType: c.type,
      severity: c.severity,
      state,
      at: this.s.eventTime(),
      value: st.value,
      message,
      escalationPolicyId: c.escalationPolicyId,
    });
  }

  /** Sends queued transitions in order; one flush at a time, retried by the alarm on failure. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.flushNow().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    const hub = this.s.tenantHub();
    if (!hub) return;
    for (;;) {
      const batch = this.store.pending();
      if (batch.length === 0) {
        this.s.schedule.remove('flush_transitions');
        return;
      }
      try {
        await hub.checkTransitions(batch.map((b) => b.transition));
        this.store.taken(batch[batch.length - 1]!.seq);
      } catch (err) {
        console.error('tenant hub refused transitions; retrying', err);
        this.s.schedule.put('flush_transitions', Date.now() + FLUSH_RETRY_MS);
        await this.s.schedule.arm();
        return;
      }
    }
  }
}

function safeRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'i');
  } catch {
    return null;
  }
}

export type { CheckTransition };
