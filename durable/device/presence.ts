import type { HeartbeatFrame, HelloFrame } from '../../protocol/agent-frames';
import { CloseCode } from '../../protocol/agent-frames';
import type { DeviceViewFrame } from '../../protocol/live';
import { offlineAfterMs } from '../../protocol/limits';
import { impossibility } from '../../protocol/metrics';
import type { DeviceStatusEvent } from '../contracts';
import type { HubState } from './hub-state';
import { broadcastToViewers, closeQuietly, send } from './sockets';

const REPORT_RETRY_MS = 5_000;

const sameSet = (a: readonly string[], b: readonly string[]) => {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
};

/**
 * Online/offline and what the TenantHub is told. Only transitions (and a changed address
 * set) leave the hub; samples stay here.
 */
export class Presence {
  constructor(
    private readonly s: HubState,
    /** Told of every online/offline change (the check engine's offline checks). */
    private readonly onChange: (online: boolean, now: number) => Promise<void>,
  ) {}

  get online(): boolean {
    return this.s.reported?.status === 'online' && this.s.agent() !== null;
  }

  statusFrame(): DeviceViewFrame {
    return { t: 'status', online: this.online, lastSeenAt: this.s.lastSeenAt, heartbeatSeconds: this.s.heartbeatSeconds };
  }

  /** A new agent socket: it counts as seen now, and the watchdog starts. */
  onConnect(now: number): void {
    this.s.meta.set('connectedAt', now);
    this.scheduleCheck(now);
  }

  async onHello(frame: HelloFrame): Promise<void> {
    this.s.fids.resetIfReinstalled(frame.lastFid);
    this.s.meta.set('info', { agentVersion: frame.agentVersion, hostname: frame.hostname, os: frame.os });
    // Always reported: a reconnect may bring a new version or hostname even if still online.
    await this.report('online');
  }

  /** Returns whether the sample was stored (false: dropped for impossible values). */
  async onHeartbeat(ws: WebSocket, frame: HeartbeatFrame): Promise<boolean> {
    const now = Date.now();
    const impossible = impossibility(frame.m);
    if (impossible) {
      // Still a sign of life, but nothing of it is stored or judged.
      this.s.lastSeenAt = now;
      const dropped = this.s.meta.get('droppedSamples');
      this.s.meta.set('droppedSamples', { count: (dropped?.count ?? 0) + 1, lastReason: impossible, lastAt: now });
      send(ws, { t: 'hb_ack', seq: frame.seq });
      return false;
    }
    this.s.metrics.record(frame.m, now);
    this.s.lastSeenAt = now;
    this.s.latest = frame.m;
    send(ws, { t: 'hb_ack', seq: frame.seq });
    broadcastToViewers(this.s.ctx, { t: 'metrics', sample: frame.m });
    const reported = this.s.reported;
    if (reported?.status !== 'online' || !sameSet(reported.ipAddresses, frame.m.ipAddresses)) {
      await this.report('online');
    }
    return true;
  }

  /** Called when the agent socket went away and no other one is open. */
  async markOffline(): Promise<void> {
    this.s.schedule.remove('offline_check');
    if (this.s.reported?.status !== 'offline') await this.report('offline');
  }

  /** Job: the watchdog. Never more than one pending, moved forward only when it fires. */
  async offlineCheck(now: number): Promise<void> {
    const agent = this.s.agent();
    const seen = this.lastSignOfLife();
    if (agent && now - seen < offlineAfterMs(this.s.baseHeartbeatSeconds)) {
      this.scheduleCheck(seen);
      return;
    }
    if (agent) closeQuietly(agent, CloseCode.normal, 'heartbeat timeout');
    await this.markOffline();
  }

  /** Job: a report the TenantHub did not take; it gets the current truth, freshly timed. */
  async retryReport(): Promise<void> {
    const status = this.s.reported?.status ?? 'offline';
    await this.report(status, true);
  }

  private lastSignOfLife(): number {
    return Math.max(this.s.lastSeenAt ?? 0, this.s.meta.get('connectedAt') ?? 0);
  }

  private scheduleCheck(seen: number): void {
    this.s.schedule.put('offline_check', seen + offlineAfterMs(this.s.baseHeartbeatSeconds));
  }

  private async report(status: 'online' | 'offline', fromRetry = false): Promise<void> {
    const s = this.s;
    const changed = s.reported?.status !== status;
    const ipAddresses = s.latest?.ipAddresses ?? s.reported?.ipAddresses ?? [];
    s.reported = { status, at: s.eventTime(), ipAddresses: [...ipAddresses] };
    s.meta.set('reported', s.reported);
    if (changed) {
      broadcastToViewers(s.ctx, this.statusFrame());
      await this.onChange(status === 'online', s.reported.at);
    }
    const hub = s.tenantHub();
    if (!s.identity || !hub) return;
    const info = s.meta.get('info');
    const event: DeviceStatusEvent = {
      deviceId: s.identity.deviceId,
      status,
      at: s.reported.at,
      lastSeenAt: s.lastSeenAt,
      // Before the first sample the hub knows no addresses; the row keeps what it has.
      ...(s.latest ? { ipAddresses: s.reported.ipAddresses } : {}),
      ...(info ? { hostname: info.hostname, agentVersion: info.agentVersion, os: info.os } : {}),
    };
    try {
      await hub.deviceStatusChanged(event);
      s.schedule.remove('report_status');
    } catch (err) {
      if (fromRetry) throw err;
      s.schedule.put('report_status', Date.now() + REPORT_RETRY_MS);
      await s.schedule.arm();
    }
  }
}
