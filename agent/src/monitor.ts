import { rmSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type { DurableAgentFrame } from '../../protocol/agent-frames';
import { DEFAULT_COLLECTORS, type AgentCheckConfig } from '../../protocol/checks';
import type { SignedCommand } from '../../protocol/command';
import type { StateFrame } from '../../protocol/device-state';
import { CheckConfigStore, supersedes, verifyCheckConfig } from './checks/check-config';
import { CheckScheduler, type SchedulerDeps } from './checks/check-scheduler';
import { Periodic } from './collectors/periodic';
import { StateCollectors, defaultSectionCollectors, type SectionCollectors } from './collectors/state-collectors';
import { EventCollector } from './events/event-collector';
import type { InventorySender } from './inventory/sender';
import type { EventSource } from './events/event-source';
import { journaldSource } from './events/journald';
import { macosLogSource } from './events/macos-log';
import { windowsEventSource } from './events/windows-events';
import { describeError, log } from './log';
import type { NewDurableFrame } from './outbox';
import type { StatePaths } from './paths';

export interface MonitorDeps {
  paths: StatePaths;
  key: KeyObject;
  deviceId: string;
  tenantId: string;
  /** Sends a frame that is not kept (state sections); false when not connected. */
  send(frame: StateFrame): boolean;
  /** Keeps a frame until acknowledged and sends it when connected; null if it was refused. */
  emitDurable(frame: NewDurableFrame): DurableAgentFrame | null;
  /** Whether the outbox still holds this fid. */
  unacked(fid: number): boolean;
  platform?: NodeJS.Platform;
  /** Tests replace the OS-facing parts. */
  sections?: SectionCollectors;
  eventSource?: EventSource<unknown> | null;
  checkRunner?: SchedulerDeps['run'];
  checkSpreadMs?: number;
  /** Inventory follows the collector intervals of the signed config too. */
  inventory?: InventorySender;
}

export function eventSourceFor(platform: NodeJS.Platform): EventSource<unknown> | null {
  if (platform === 'linux') return journaldSource() as EventSource<unknown>;
  if (platform === 'win32') return windowsEventSource() as EventSource<unknown>;
  if (platform === 'darwin') return macosLogSource() as EventSource<unknown>;
  return null;
}

/**
 * Everything the agent watches besides the heartbeat: the slow collectors, the event log,
 * and the agent-run checks with their signed configuration.
 */
export class Monitor {
  private readonly state: StateCollectors;
  private readonly events: EventCollector<unknown> | null;
  private readonly eventsLoop: Periodic | null;
  private readonly checks: CheckScheduler;
  private readonly store: CheckConfigStore;
  private applied: AgentCheckConfig | null = null;
  private stopped = false;

  constructor(private readonly deps: MonitorDeps) {
    const platform = deps.platform ?? process.platform;
    // Work still in flight when the agent stops must not write to an outbox being closed.
    const emitDurable = (frame: NewDurableFrame) => (this.stopped ? null : deps.emitDurable(frame));
    this.state = new StateCollectors(deps.send, deps.sections ?? defaultSectionCollectors(deps.paths.reboot));
    const source = deps.eventSource === undefined ? eventSourceFor(platform) : deps.eventSource;
    this.events = source
      ? new EventCollector({
          source,
          path: deps.paths.events,
          emit: (frame) => emitDurable(frame)?.fid ?? null,
          unacked: deps.unacked,
        })
      : null;
    this.eventsLoop = this.events ? new Periodic('event log', () => this.events!.tick()) : null;
    // Leftovers of script checks cut short by a crash.
    rmSync(deps.paths.checkScratch, { recursive: true, force: true });
    this.checks = new CheckScheduler({
      emit: (frame) => void emitDurable(frame),
      scratchDir: deps.paths.checkScratch,
      run: deps.checkRunner,
      spreadMs: deps.checkSpreadMs,
      platform,
    });
    this.store = new CheckConfigStore(deps.paths.checks, { key: deps.key, deviceId: deps.deviceId, tenantId: deps.tenantId });
  }

  /** Starts collecting; checks saved from an earlier run start before the hub is reachable. */
  start(): void {
    const saved = this.store.load();
    if (saved && 'error' in saved) log.warn(`saved check config not used: ${saved.error}`);
    else if (saved) this.use(saved.config);
    const intervals = this.applied?.collectors ?? DEFAULT_COLLECTORS;
    this.state.start(intervals);
    this.eventsLoop?.start(intervals.eventsSeconds, 2_000);
    this.deps.inventory?.start(intervals.inventorySeconds);
  }

  onConnect(): void {
    this.state.onConnect();
    this.checks.onConnect();
  }

  onAck(fids: readonly number[]): void {
    this.events?.onAck(fids);
    this.deps.inventory?.onAck(fids);
  }

  /** A `checks` frame: applied only when signed by the tenant for this device and newer. */
  onChecks(signed: SignedCommand): void {
    const verdict = verifyCheckConfig(signed, { key: this.deps.key, deviceId: this.deps.deviceId, tenantId: this.deps.tenantId });
    if (!verdict.ok) {
      log.warn(`check config refused: ${verdict.error}; no check from it will run`);
      return;
    }
    const order = supersedes(verdict.config, this.applied);
    if (!order.ok) {
      if (!order.same) log.warn(`check config ${verdict.config.version} refused: ${order.error}`);
      return;
    }
    try {
      this.store.save(signed);
    } catch (err) {
      log.warn(`cannot save the check config (${describeError(err)}); applying it for this run only`);
    }
    this.use(verdict.config);
    this.state.setIntervals(verdict.config.collectors);
    this.eventsLoop?.setInterval(verdict.config.collectors.eventsSeconds);
    this.deps.inventory?.setInterval(verdict.config.collectors.inventorySeconds);
  }

  /** The applied config and its checks' current results (tests, status). */
  get current(): { config: AgentCheckConfig | null; results: ReturnType<CheckScheduler['results']> } {
    return { config: this.applied, results: this.checks.results() };
  }

  stop(): void {
    this.stopped = true;
    this.state.stop();
    this.eventsLoop?.stop();
    this.checks.stop();
    this.deps.inventory?.stop();
  }

  private use(config: AgentCheckConfig): void {
    this.applied = config;
    const enabled = config.checks.filter((c) => c.enabled).length;
    log.info(`check config ${config.version} applied: ${enabled} check(s)`);
    this.checks.apply(config).catch((err) => log.error(`checks: ${describeError(err)}`));
  }
}
