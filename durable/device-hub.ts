import { DurableObject } from 'cloudflare:workers';
import * as v from 'valibot';
import { CloseCode } from '../protocol/agent-frames';
import { PING, PONG } from '../protocol/limits';
import type { CheckStateView } from '../protocol/api/check-sets';
import {
  HUB_HEADERS,
  type DeviceChecksPush,
  type CommandState,
  type DeviceLiveStatus,
  type InventoryStatus,
  type MetricPoint,
  type QueuedCommand,
} from './contracts';
import { inventoryFrameHead, readAgentFrame } from './device/agent-frame';
import { CommandFlow } from './device/command-flow';
import { HubState, LIVE_HEARTBEAT_SECONDS } from './device/hub-state';
import { ChecksPush, Identity } from './device/meta';
import { floorTo } from './device/metrics-store';
import { Presence } from './device/presence';
import { CheckEngine } from './device/check-engine';
import { InventoryIngest } from './device/inventory-ingest';
import type { StateSection, StateData } from '../protocol/device-state';
import type { StoredEvent } from './device/device-records';
import { MonitoringFrames } from './device/monitoring-frames';
import { PatchIngest } from './device/patch-ingest';
import type { Job } from './device/schedule';
import { attachmentOf, closeQuietly, openSockets, send } from './device/sockets';

const HOUR = 3600_000;
/* Rollup runs a minute into each hour so the previous hour's last minute is complete. */
const ROLLUP_OFFSET_MS = 60_000;

const UpgradeHeaders = v.variant('role', [
  v.object({ role: v.literal('agent'), ...Identity.entries }),
  v.object({ role: v.literal('viewer'), ...Identity.entries, userId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) }),
]);
type UpgradeHeaders = v.InferOutput<typeof UpgradeHeaders>;

export const MetricsQuery = v.object({
  from: v.number(),
  to: v.number(),
  resolution: v.picklist(['minute', 'hour']),
});
export type MetricsQuery = v.InferOutput<typeof MetricsQuery>;

/**
 * One per device (`idFromName(deviceId)`): holds the agent's socket, its live status,
 * metrics and command queue. fetch() is only the WebSocket upgrade; the Worker has
 * authenticated the caller and says who it is in HUB_HEADERS.
 */
export class DeviceHub extends DurableObject<Env> {
  private readonly s: HubState;
  private readonly presence: Presence;
  private readonly flow: CommandFlow;
  private readonly engine: CheckEngine;
  private readonly monitoring: MonitoringFrames;
  private readonly inventory: InventoryIngest;
  private readonly patches: PatchIngest;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.s = new HubState(ctx, env);
    this.engine = new CheckEngine(this.s);
    this.monitoring = new MonitoringFrames(this.s, this.engine);
    this.inventory = new InventoryIngest(this.s, this.engine);
    this.patches = new PatchIngest(this.s);
    this.presence = new Presence(this.s, async (online, now) => {
      this.engine.onPresence(online, now);
      await this.engine.flush();
    });
    this.flow = new CommandFlow(this.s);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('expected a WebSocket upgrade', { status: 426 });
    }
    const h = request.headers;
    const parsed = v.safeParse(UpgradeHeaders, {
      role: h.get(HUB_HEADERS.role),
      deviceId: h.get(HUB_HEADERS.deviceId),
      tenantId: h.get(HUB_HEADERS.tenantId),
      clientId: h.get(HUB_HEADERS.clientId) ?? undefined,
      userId: h.get(HUB_HEADERS.userId) ?? undefined,
    });
    // The hub is named after its device; a header naming another device is a routing bug.
    const name = this.ctx.id.name;
    if (!parsed.success || (name !== undefined && name !== parsed.output.deviceId)) {
      return new Response('bad hub headers', { status: 400 });
    }
    return parsed.output.role === 'agent' ? this.connectAgent(parsed.output) : this.connectViewer(parsed.output);
  }

  private async connectAgent(who: Extract<UpgradeHeaders, { role: 'agent' }>): Promise<Response> {
    const s = this.s;
    const now = Date.now();
    s.rememberIdentity({ deviceId: who.deviceId, tenantId: who.tenantId, clientId: who.clientId });
    for (const old of openSockets(this.ctx, 'agent')) closeQuietly(old, CloseCode.replaced, 'replaced by a newer connection');
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, ['agent']);
    server.serializeAttachment({ role: 'agent', connectedAt: now });
    send(server, { t: 'welcome', deviceId: who.deviceId, heartbeatSeconds: s.baseHeartbeatSeconds, serverTime: now });
    if (s.viewerCount > 0) send(server, { t: 'config', heartbeatSeconds: LIVE_HEARTBEAT_SECONDS });
    const checks = s.meta.get('checks');
    if (checks?.agentConfig) send(server, { t: 'checks', config: checks.agentConfig });
    this.presence.onConnect(now);
    s.schedule.putIfAbsent('rollup', floorTo(now, HOUR) + HOUR + ROLLUP_OFFSET_MS);
    await this.flow.expireDue(now);
    this.flow.redeliver(server, now);
    await s.schedule.arm();
    return new Response(null, { status: 101, webSocket: client });
  }

  private connectViewer(who: Extract<UpgradeHeaders, { role: 'viewer' }>): Response {
    const wasWatched = this.s.viewerCount > 0;
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, ['viewer']);
    server.serializeAttachment({ role: 'viewer', connectedAt: Date.now(), userId: who.userId });
    send(server, this.presence.statusFrame());
    if (this.s.latest) send(server, { t: 'metrics', sample: this.s.latest });
    if (!wasWatched) this.tellAgentInterval();
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    // Viewers only listen; a replaced agent socket is already on its way out.
    if (attachmentOf(ws)?.role !== 'agent' || ws.readyState !== WebSocket.OPEN) return;
    const read = readAgentFrame(message);
    if (!read.ok) {
      // A bad inventory frame would come back after every reconnect: refuse it by fid instead.
      const inv = inventoryFrameHead(message);
      if (inv) this.inventory.onInvalid(ws, inv.fid, read.reason);
      else closeQuietly(ws, CloseCode.policy, 'invalid frame');
      return;
    }
    const frame = read.frame;
    switch (frame.t) {
      case 'hello':
        return this.presence.onHello(frame);
      case 'hb':
        if (await this.presence.onHeartbeat(ws, frame)) this.engine.onSample(frame.m, Date.now());
        return this.engine.flush();
      case 'state':
        return this.monitoring.onState(frame);
      case 'events':
      case 'check_results':
        return this.monitoring.onDurable(ws, frame);
      case 'cmd_ack':
      case 'out':
      case 'done':
        return this.flow.onDurable(ws, frame);
      case 'cmd_step':
        return this.flow.onStep(frame);
      case 'inv':
        return this.inventory.onFrame(ws, frame);
      case 'patches':
        return this.patches.onFrame(ws, frame);
    }
  }

  async webSocketClose(ws: WebSocket): Promise<void> {
    // Completes the closing handshake where the runtime has not already answered it.
    closeQuietly(ws, CloseCode.normal, 'closed');
    await this.socketGone(ws);
  }

  async webSocketError(ws: WebSocket): Promise<void> {
    await this.socketGone(ws);
  }

  private async socketGone(ws: WebSocket): Promise<void> {
    const role = attachmentOf(ws)?.role;
    if (role === 'agent' && !this.s.agent(ws)) {
      await this.presence.markOffline();
      await this.s.schedule.arm();
    } else if (role === 'viewer' && openSockets(this.ctx, 'viewer', ws).length === 0) {
      this.tellAgentInterval(ws);
    }
  }

  /* Live mode: the agent reports every few seconds only while somebody is watching. */
  private tellAgentInterval(leaving?: WebSocket): void {
    const agent = this.s.agent();
    if (!agent) return;
    const watched = openSockets(this.ctx, 'viewer', leaving).length > 0;
    send(agent, { t: 'config', heartbeatSeconds: watched ? LIVE_HEARTBEAT_SECONDS : this.s.baseHeartbeatSeconds });
  }

  async alarm(): Promise<void> {
    const now = Date.now();
    for (const job of this.s.schedule.due(now)) {
      try {
        await this.runJob(job, now);
        // A handler that wants to run again has moved its row to a later time.
        this.s.schedule.removeIfDue(job);
      } catch {
        this.s.schedule.retry(job, now);
      }
    }
    await this.s.schedule.arm();
  }

  private async runJob(job: Job, now: number): Promise<void> {
    switch (job.kind) {
      case 'offline_check':
        return this.presence.offlineCheck(now);
      case 'report_status':
        return this.presence.retryReport();
      case 'expiry':
        return this.flow.expireDue(now);
      case 'd1_sync':
        return this.flow.syncJob(job.key);
      case 'rollup':
        return this.rollup(now);
      case 'flush_transitions':
        return this.engine.flush();
      case 'event_clear':
        this.engine.eventClearJob(job.key, now);
        return this.engine.flush();
      case 'offline_alert':
        this.engine.offlineAlertJob(job.key, now);
        return this.engine.flush();
      case 'inventory_sync':
        return this.inventory.syncJob();
    }
  }

  private rollup(now: number): void {
    const s = this.s;
    s.meta.set('rolledUntil', s.metrics.rollup(now, s.meta.get('rolledUntil')));
    s.fids.prune(now);
    if (s.agent() || s.metrics.latest() !== null) {
      s.schedule.put('rollup', floorTo(now, HOUR) + HOUR + ROLLUP_OFFSET_MS);
      return;
    }
    // A device gone for good wakes its hub only to let its last hourly rows expire.
    const expiry = s.metrics.hoursExpireAt();
    if (expiry === null) s.schedule.remove('rollup');
    else s.schedule.put('rollup', expiry);
  }

  // ---- RPC (called by the Worker) ----

  async enqueue(cmd: QueuedCommand, meta: Identity): Promise<{ delivered: boolean }> {
    this.s.rememberIdentity(meta);
    return this.flow.enqueue(cmd);
  }

  async getStatus(): Promise<DeviceLiveStatus> {
    const s = this.s;
    const info = s.meta.get('info');
    return {
      online: this.presence.online,
      lastSeenAt: s.lastSeenAt,
      connectedAt: s.agentConnectedAt(),
      agentVersion: info?.agentVersion ?? null,
      hostname: info?.hostname ?? null,
      ipAddresses: s.latest?.ipAddresses ?? s.reported?.ipAddresses ?? [],
      latest: s.latest,
      heartbeatSeconds: s.heartbeatSeconds,
      droppedSamples: s.meta.get('droppedSamples')?.count ?? 0,
    };
  }

  async getMetrics(query: MetricsQuery): Promise<MetricPoint[]> {
    const q = v.parse(MetricsQuery, query);
    return this.s.metrics.query(q.from, q.to, q.resolution, this.s.meta.get('rolledUntil'));
  }

  async getCommand(id: string): Promise<CommandState | null> {
    return this.s.commands.get(id);
  }

  /** The Worker compiled this device's effective checks; same version twice changes nothing. */
  async setChecks(push: DeviceChecksPush, meta: Identity): Promise<{ changed: boolean }> {
    // Validated here too: a push the hub could not read back would silently drop every check.
    v.parse(ChecksPush, push);
    this.s.rememberIdentity(meta);
    const cur = this.s.meta.get('checks');
    // Two recompiles can race; the older one must not overwrite the newer.
    if (cur && (cur.version === push.version || push.compiledAt < cur.compiledAt)) return { changed: false };
    await this.engine.apply(push, Date.now());
    await this.s.schedule.arm();
    const agent = this.s.agent();
    if (agent && push.agentConfig) send(agent, { t: 'checks', config: push.agentConfig });
    return { changed: true };
  }

  /** Current state of each check, by key (absent: never evaluated). */
  async getCheckStates(): Promise<Record<string, CheckStateView>> {
    return this.monitoring.checkStates();
  }

  /** What a slow collector last reported (services, processes, security, smart). */
  async getSection<S extends StateSection>(section: S): Promise<{ at: number; data: StateData<S> } | null> {
    return this.s.records.section(section);
  }

  /** Recent event-log entries, newest first. */
  async getEvents(limit: number, before?: number): Promise<StoredEvent[]> {
    return this.s.records.events(Math.min(Math.max(1, limit), 500), before);
  }

  /** The held inventory snapshot and the inventory frames refused. */
  async getInventoryStatus(): Promise<InventoryStatus> {
    return this.inventory.status();
  }

  /** A technician cancelled a queued command (or a job was cancelled): only if it never left the hub. */
  async cancelCommand(id: string): Promise<'cancelled' | 'sent' | 'finished' | 'unknown'> {
    return this.flow.cancel(id);
  }

  /** Token revoked or device deleted: drop the agent for good and empty the queue. */
  async revoke(): Promise<void> {
    for (const ws of openSockets(this.ctx, 'agent')) closeQuietly(ws, CloseCode.unauthorized, 'revoked');
    await this.flow.cancelAll(Date.now());
    await this.presence.markOffline();
    await this.s.schedule.arm();
  }
}
