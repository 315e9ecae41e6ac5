import type { CommandAckFrame, CommandStepFrame, DoneFrame, OutputFrame } from '../../protocol/agent-frames';
import type { CommandStatus } from '../../protocol/command';
import type { DeployStep } from '../../protocol/packages';
import type { CommandEvent, QueuedCommand } from '../contracts';
import { writeCommandResult } from './d1-commands';
import { isFinal } from './command-store';
import type { HubState } from './hub-state';
import { broadcastToViewers, send } from './sockets';

/* If the hub dies between settling a command and writing D1, this job finishes the write. */
const D1_SAFETY_NET_MS = 60_000;
const D1_RETRY_MS = 5_000;
const DELIVERED_NOTICE_MS = 1_000;
const syncKey = (id: string) => `d1_sync:${id}`;

type DurableFrame = CommandAckFrame | OutputFrame | DoneFrame;

/** The command queue: enqueue, (re)delivery, results from the agent, expiry, D1 write-back. */
export class CommandFlow {
  constructor(private readonly s: HubState) {}

  /** Persists first (the RPC answer waits for the write), then sends if the agent is here. */
  async enqueue(cmd: QueuedCommand): Promise<{ delivered: boolean }> {
    const now = Date.now();
    const isNew = this.s.commands.insert(cmd);
    if (cmd.expiresAt <= now) {
      await this.expireDue(now);
      return { delivered: false };
    }
    const status = this.s.commands.status(cmd.id);
    if (status !== 'queued' && status !== 'delivered' && status !== 'running') return { delivered: status !== null };
    if (isNew) {
      this.scheduleExpiry();
      await this.s.schedule.arm();
    }
    const agent = this.s.agent();
    if (!agent) return { delivered: false };
    send(agent, { t: 'cmd', cmd: cmd.signed });
    this.s.commands.markSent([cmd.id], now);
    return { delivered: true };
  }

  /** On connect: every open, unexpired command again (the agent drops ids it already ran). */
  redeliver(ws: WebSocket, now: number): void {
    const open = this.s.commands.deliverable(now);
    for (const { signed } of open) send(ws, { t: 'cmd', cmd: signed });
    this.s.commands.markSent(
      open.map((c) => c.id),
      now,
    );
  }

  /** Cancels a command still waiting in the hub; see CommandStore.cancelUnsent for why only those. */
  async cancel(id: string): Promise<'cancelled' | 'sent' | 'finished' | 'unknown'> {
    const now = Date.now();
    const outcome = this.s.commands.cancelUnsent(id, now);
    if (outcome !== 'cancelled') return outcome;
    this.scheduleExpiry();
    this.s.schedule.put('d1_sync', now + D1_SAFETY_NET_MS, syncKey(id));
    await this.settled(id, 'cancelled', null, now);
    await this.s.schedule.arm();
    return outcome;
  }

  /** Job and connect step: queued commands past expiry become 'expired', in D1 too. */
  async expireDue(now: number): Promise<void> {
    const ids = this.s.commands.expire(now);
    this.scheduleExpiry();
    for (const id of ids) this.s.schedule.put('d1_sync', now + D1_SAFETY_NET_MS, syncKey(id));
    for (const id of ids) await this.settled(id, 'expired', null, now);
  }

  /** Applies one durable frame once; acknowledges it (again) only after it is stored. */
  async onDurable(ws: WebSocket, frame: DurableFrame): Promise<void> {
    const s = this.s;
    if (s.fids.seen(frame.fid)) {
      send(ws, { t: 'ack', fids: [frame.fid] });
      return;
    }
    const now = Date.now();
    const effect = s.ctx.storage.transactionSync(() => {
      s.fids.record(frame.fid, now);
      if (frame.t === 'cmd_ack') return { delivered: s.commands.markDelivered(frame.id, now) };
      if (frame.t === 'out') return { stored: s.commands.appendOutput(frame) };
      const finished = s.commands.finish(frame, now);
      if (finished && isFinal(frame.status)) s.schedule.put('d1_sync', now + D1_SAFETY_NET_MS, syncKey(frame.id));
      return { finished };
    });
    send(ws, { t: 'ack', fids: [frame.fid] });

    if (frame.t === 'cmd_ack' && effect.delivered) {
      this.deliveredNotice(frame.id, now);
    } else if (frame.t === 'out' && effect.stored) {
      broadcastToViewers(s.ctx, { t: 'out', commandId: frame.id, stream: frame.stream, data: effect.stored });
    } else if (frame.t === 'done' && effect.finished) {
      if (isFinal(frame.status)) await this.settled(frame.id, frame.status, frame.exitCode, now, frame.step);
      else this.forwardToViewers(frame.id);
    }
  }

  /**
   * A deployment's progress (not durable: the done frame is the record). Passed to viewers and
   * the TenantHub without waiting for it; a step of an unknown or settled command is stale.
   */
  onStep(frame: CommandStepFrame): void {
    const status = this.s.commands.status(frame.id);
    if (status === null || isFinal(status)) return;
    broadcastToViewers(this.s.ctx, { t: 'cmd_step', commandId: frame.id, step: frame.step, progress: frame.progress, detail: frame.detail ?? null });
    const hub = this.s.tenantHub();
    if (!hub || !this.s.identity) return;
    hub.commandStep({ deviceId: this.s.identity.deviceId, commandId: frame.id, step: frame.step, progress: frame.progress, at: Date.now() }).catch(() => {
      // best effort, like the live feed
    });
  }

  /** Device revoked: nothing queued may reach it any more. */
  async cancelAll(now: number): Promise<void> {
    const ids = this.s.commands.cancelOpen(now);
    this.s.schedule.remove('expiry');
    for (const id of ids) this.s.schedule.put('d1_sync', now + D1_SAFETY_NET_MS, syncKey(id));
    for (const id of ids) await this.settled(id, 'cancelled', null, now);
  }

  /** Job: write a settled command to D1; throws so the alarm retries with backoff. */
  async syncJob(key: string): Promise<void> {
    const id = key.slice(syncKey('').length);
    if (!(await this.writeD1(id))) throw new Error(`D1 write for ${id} failed`);
  }

  private async settled(id: string, status: CommandStatus, exitCode: number | null, at: number, step?: DeployStep): Promise<void> {
    this.forwardToViewers(id);
    if (!(await this.writeD1(id))) {
      this.s.schedule.put('d1_sync', Date.now() + D1_RETRY_MS, syncKey(id));
      await this.s.schedule.arm();
    }
    await this.tellTenant({ commandId: id, status, exitCode, at, ...(step ? { step } : {}) });
  }

  /** True when D1 has the row's final state (or there is nothing left to write). */
  private async writeD1(id: string): Promise<boolean> {
    const state = this.s.commands.get(id);
    const tenantId = this.s.identity?.tenantId;
    if (!state || !tenantId) {
      this.s.schedule.remove(syncKey(id));
      return true;
    }
    try {
      await writeCommandResult(this.s.env.DB, tenantId, state);
      this.s.schedule.remove(syncKey(id));
      return true;
    } catch {
      return false;
    }
  }

  private forwardToViewers(id: string): void {
    const state = this.s.commands.get(id);
    if (!state) return;
    broadcastToViewers(this.s.ctx, {
      t: 'cmd',
      commandId: id,
      status: state.status,
      exitCode: state.exitCode,
      truncated: state.truncated,
      error: state.error,
    });
  }

  /*
   * Most commands finish within a second of reaching the agent, and their result tells the
   * tenant everything 'delivered' would: the notice goes only for those still open after a
   * moment, which spares the TenantHub one call per device when a job fans out to thousands.
   */
  private deliveredNotice(id: string, at: number): void {
    setTimeout(() => {
      const status = this.s.commands.status(id);
      if (status === 'delivered' || status === 'running') void this.tellTenant({ commandId: id, status: 'delivered', exitCode: null, at });
    }, DELIVERED_NOTICE_MS);
  }

  /* The live feed is best effort: the D1 row is the record, and the dashboard reloads it. */
  private async tellTenant(evt: Omit<CommandEvent, 'deviceId'>): Promise<void> {
    const hub = this.s.tenantHub();
    if (!hub || !this.s.identity) return;
    try {
      await hub.commandEvent({ deviceId: this.s.identity.deviceId, ...evt });
    } catch {
      // see above
    }
  }

  private scheduleExpiry(): void {
    const next = this.s.commands.nextExpiry();
    if (next === null) this.s.schedule.remove('expiry');
    else this.s.schedule.put('expiry', next);
  }
}
