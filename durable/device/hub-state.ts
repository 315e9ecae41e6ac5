import type { MetricsSample } from '../../protocol/metrics';
import { ensureDeviceTables } from './storage-schema';
import { MetaStore, type Identity, type Reported } from './meta';
import { Schedule } from './schedule';
import { MetricsStore } from './metrics-store';
import { CommandStore } from './command-store';
import { FidLog } from './fid-log';
import { DeviceRecords } from './device-records';
import { attachmentOf, openSockets } from './sockets';

const DEFAULT_HEARTBEAT_SECONDS = 30;
/** Heartbeat interval asked of the agent while someone watches the device live. */
export const LIVE_HEARTBEAT_SECONDS = 5;

/**
 * Everything a DeviceHub's parts share: its stores, plus what is kept in memory between
 * events and rebuilt from storage whenever the object wakes from hibernation.
 */
export class HubState {
  readonly meta: MetaStore;
  readonly schedule: Schedule;
  readonly metrics: MetricsStore;
  readonly commands: CommandStore;
  readonly fids: FidLog;
  readonly records: DeviceRecords;
  identity: Identity | null;
  reported: Reported | null;
  lastSeenAt: number | null;
  latest: MetricsSample | null;
  private lastEventAt = 0;

  constructor(
    readonly ctx: DurableObjectState,
    readonly env: Env,
  ) {
    const sql = ctx.storage.sql;
    ensureDeviceTables(ctx.storage);
    this.meta = new MetaStore(sql);
    this.schedule = new Schedule(sql, ctx.storage);
    this.metrics = new MetricsStore(sql);
    this.commands = new CommandStore(sql);
    this.fids = new FidLog(sql);
    this.records = new DeviceRecords(sql);
    this.identity = this.meta.get('identity');
    this.reported = this.meta.get('reported');
    const last = this.metrics.latest();
    this.lastSeenAt = last?.at ?? null;
    this.latest = last?.sample ?? null;
  }

  get baseHeartbeatSeconds(): number {
    const n = Number(this.env.HEARTBEAT_SECONDS);
    return Number.isInteger(n) && n >= 1 && n <= 3600 ? n : DEFAULT_HEARTBEAT_SECONDS;
  }

  get viewerCount(): number {
    return openSockets(this.ctx, 'viewer').length;
  }

  /** What the agent is currently asked to use: fast while anyone watches live. */
  get heartbeatSeconds(): number {
    return this.viewerCount > 0 ? LIVE_HEARTBEAT_SECONDS : this.baseHeartbeatSeconds;
  }

  /** The connected agent socket, if any (a replaced one is already closing). */
  agent(except?: WebSocket): WebSocket | null {
    const sockets = openSockets(this.ctx, 'agent', except);
    return sockets[sockets.length - 1] ?? null;
  }

  agentConnectedAt(): number | null {
    const ws = this.agent();
    return ws ? (attachmentOf(ws)?.connectedAt ?? null) : null;
  }

  /** Saves identity on first sight and whenever it changes (a device moved to another client). */
  rememberIdentity(next: Identity): void {
    const cur = this.identity;
    if (cur && cur.deviceId === next.deviceId && cur.tenantId === next.tenantId && (next.clientId ?? cur.clientId) === cur.clientId) {
      return;
    }
    this.identity = { ...next, clientId: next.clientId ?? cur?.clientId };
    this.meta.set('identity', this.identity);
  }

  /**
   * Event times strictly increase even within one turn (the clock stands still between
   * I/O), so the TenantHub's "ignore older events" guard can order every transition.
   */
  eventTime(): number {
    this.lastEventAt = Math.max(Date.now(), this.lastEventAt + 1, (this.reported?.at ?? 0) + 1);
    return this.lastEventAt;
  }

  tenantHub() {
    if (!this.identity) return null;
    return this.env.TENANT_HUB.get(this.env.TENANT_HUB.idFromName(this.identity.tenantId));
  }
}
