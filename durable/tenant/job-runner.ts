import type { TenantFeedFrame } from '../../protocol/live';
import type { CommandEvent, CommandStepEvent, QueuedCommand } from '../contracts';
import type { Schedule } from '../device/schedule';
import type { TenantJobKind } from './alert-lifecycle';
import type { Window } from './config-cache';
import { expireWaiting, finishJob, jobClient, jobStates, jobsPendingFor, loadJob, runningJobIds, settledCommands, skipPending } from './job-d1';
import { dueScheduled, startScheduled } from './job-d1-rings';
import { JobDispatcher, withdraw } from './job-dispatch';
import { CanaryGate } from './job-gate';
import { isFinal, JobNews } from './job-news';
import { JobStore } from './job-store';
import { pruneHistory } from './job-retention';
import { nextWindowChange } from './job-windows';

/* Results are written to D1 and pushed to dashboards at most this often: 4 frames a second per job. */
const FLUSH_MS = 250;
/* While jobs run: free slots are refilled and lost command events recovered this often. */
const SWEEP_MS = 30_000;
/* A command open this long without news is looked up in D1 by the sweep. */
const STALE_MS = 60_000;
const RETENTION_MS = 86_400_000;

export interface JobRunnerDeps {
  d1: D1Database;
  sql: SqlStorage;
  schedule: Schedule<TenantJobKind>;
  tenantId: () => Promise<string>;
  masterKey: string;
  enqueue: (cmd: QueuedCommand, meta: { tenantId: string; deviceId: string; clientId: string }) => Promise<unknown>;
  cancel: (deviceId: string, commandId: string) => Promise<unknown>;
  publish: (frame: TenantFeedFrame, clientId: string | null | undefined) => void;
  background: (work: Promise<unknown>) => void;
  /** The tenant's enabled maintenance windows (jobs sent only inside them). */
  windows: () => Promise<readonly Window[]>;
}

/**
 * Runs the tenant's bulk jobs: sends a job to its online devices, at most `concurrency` at a
 * time, refills slots as results come in and when devices return, and settles the job when
 * nothing is left or its time is up. Job steps run one at a time (never beside alert work).
 */
export class JobRunner {
  private readonly store: JobStore;
  private readonly dispatcher: JobDispatcher;
  private readonly gate: CanaryGate;
  private readonly news: JobNews;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly clients = new Map<string, string | null>();
  private readonly dirty = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly d: JobRunnerDeps) {
    this.store = new JobStore(d.sql);
    this.dispatcher = new JobDispatcher(d, this.store);
    this.gate = new CanaryGate(d);
    this.news = new JobNews(this.store);
    d.schedule.putIfAbsent('retention', Date.now() + RETENTION_MS / 24);
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step, step);
    this.queue = run.catch((err: unknown) => console.error('job step failed', err));
    return run;
  }

  /** The Worker changed a job in D1 (created, approved, cancelled, retried). */
  changed(jobId: string): Promise<void> {
    return this.serial(() => this.apply(jobId));
  }

  private async apply(jobId: string): Promise<void> {
    const tenantId = await this.d.tenantId();
    const job = await loadJob(this.d.d1, tenantId, jobId);
    if (!job) return this.stop(jobId);
    if (job.status === 'running') {
      const clientId = await jobClient(this.d.d1, jobId);
      this.clients.set(jobId, clientId);
      this.store.putRun({ jobId, concurrency: job.concurrency, expiresAt: job.expiresAt, clientId });
      this.d.schedule.put('job_expire', job.expiresAt, `job_expire:${jobId}`);
      this.d.schedule.putIfAbsent('job_sweep', Date.now() + SWEEP_MS);
      await this.d.schedule.arm();
      this.d.schedule.remove(`job_start:${jobId}`);
      if (job.gate === 'waiting' && job.gateAt !== null) this.d.schedule.put('job_gate', job.gateAt, `job_gate:${jobId}`);
      await this.d.schedule.arm();
      this.dispatcher.forget(jobId);
      // Dispatch starts at once but after this answer: the Worker need not wait for a thousand sends.
      this.dirty.add(jobId);
      this.soon(0);
      return;
    }
    if (job.status === 'awaiting_approval' || job.status === 'scheduled' || job.status === 'halted') {
      // Approval, the start time or a promote comes later or never; at the deadline the job expires (see expire()).
      this.store.dropRun(jobId);
      this.dispatcher.forget(jobId);
      this.d.schedule.put('job_expire', job.expiresAt, `job_expire:${jobId}`);
      if (job.status === 'scheduled') this.d.schedule.put('job_start', job.startAt ?? Date.now(), `job_start:${jobId}`);
      await this.d.schedule.arm();
      return;
    }
    if (job.status === 'cancelled') {
      await skipPending(this.d.d1, tenantId, jobId, 'cancelled', Date.now());
      await withdraw(this.store.openCommands(jobId), this.d.cancel);
    }
    this.stop(jobId);
    this.dirty.add(jobId);
    await this.flush();
  }

  private stop(jobId: string): void {
    this.store.dropRun(jobId);
    this.dispatcher.forget(jobId);
    this.d.schedule.remove(`job_expire:${jobId}`);
    this.d.schedule.remove(`job_start:${jobId}`);
    this.gate.forget(jobId);
  }

  /* The gate failed: nothing more is sent until a promote; the deadline still stands. */
  private halt(jobId: string): void {
    this.store.dropRun(jobId);
    this.dispatcher.forget(jobId);
  }

  /** Alarm: a scheduled job's start time. It runs (D1 first), unless it was cancelled or started already. */
  start(jobId: string): Promise<void> {
    return this.serial(async () => {
      const tenantId = await this.d.tenantId();
      const job = await loadJob(this.d.d1, tenantId, jobId);
      // A retry of an alarm that started the job in D1 but failed before the hub took it on.
      if (job?.status === 'running' && !this.store.runIds().includes(jobId)) return this.apply(jobId);
      if (!job || job.status !== 'scheduled') return;
      const now = Date.now();
      if (job.startAt !== null && job.startAt > now) {
        this.d.schedule.put('job_start', job.startAt, `job_start:${jobId}`);
        return;
      }
      await startScheduled(this.d.d1, tenantId, jobId, now);
      await this.apply(jobId);
    });
  }

  /** Alarm: the canary gate's wait is over. */
  judgeGate(jobId: string): Promise<void> {
    return this.serial(async () => {
      const verdict = await this.gate.judge(jobId, Date.now());
      if (verdict === 'passed') this.dispatcher.forget(jobId);
      if (verdict === 'failed') this.halt(jobId);
      if (verdict !== null) {
        this.dirty.add(jobId);
        await this.flush();
      }
    });
  }

  /**
   * A DeviceHub's command event. Returns the job it belongs to (for the live feed), null if
   * none. Never waits for job steps: a DeviceHub answering a withdraw is itself waited on.
   */
  onCommandEvent(evt: CommandEvent): string | null {
    const jobId = this.news.event(evt);
    if (jobId === null) return null;
    if (isFinal(evt.status)) this.dirty.add(jobId);
    this.soon();
    return jobId;
  }

  /**
   * A deployment's progress on a device: kept until the next flush, which writes the latest
   * per device to D1 and shows it on dashboards. Steps of settled commands are stale.
   */
  onCommandStep(evt: CommandStepEvent): void {
    if (this.news.step(evt)) this.soon();
  }

  /** A device came online: jobs waiting for it send it now. */
  async deviceOnline(deviceId: string): Promise<void> {
    const running = this.store.runIds();
    if (running.length === 0) return;
    const waiting = await jobsPendingFor(this.d.d1, deviceId, running);
    if (waiting.length === 0) return;
    for (const id of waiting) this.dirty.add(id);
    this.soon(0);
  }

  private soon(delay = FLUSH_MS): void {
    if (this.flushTimer !== null) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.d.background(this.serial(() => this.flush()));
    }, delay);
  }

  /** Results to D1, free slots refilled, finished jobs settled, dashboards told. */
  private async flush(): Promise<void> {
    const tenantId = await this.d.tenantId();
    const now = Date.now();
    const dirty = [...this.dirty];
    this.dirty.clear();
    const news = await this.news.flush(this.d.d1, tenantId, now);
    const touched = new Set([...dirty, ...news.jobIds]);
    for (const frame of news.frames) this.d.publish(frame, await this.clientOf(frame.jobId));
    for (const jobId of touched) {
      try {
        // Commands no DeviceHub took free their slots at once: go round again soon.
        if ((await this.dispatcher.dispatch(tenantId, jobId)).length) {
          this.dirty.add(jobId);
          this.soon();
        }
      } catch (err) {
        // The sweep tries again; results and counts still go out below.
        console.error('job dispatch failed', jobId, err);
      }
    }
    if (touched.size === 0) return;
    const states = await jobStates(this.d.d1, tenantId, [...touched]);
    let timers = false;
    for (const [jobId, state] of states) {
      let status = state.status;
      const verdict = await this.gate.check(jobId, state, now);
      if (verdict === 'waiting') timers = true;
      if (verdict === 'passed') {
        // The rest may run now: the job is rendered afresh with its new ring, then dispatched.
        this.dispatcher.forget(jobId);
        this.dirty.add(jobId);
        this.soon(0);
      }
      if (verdict === 'failed') {
        this.halt(jobId);
        status = 'halted';
      }
      if (status === 'running' && state.counts.pending + state.counts.active === 0) {
        const ended = state.expired > 0 ? 'expired' : 'completed';
        if (await finishJob(this.d.d1, tenantId, jobId, ended, now)) status = ended;
        this.stop(jobId);
      }
      if (status !== 'running' && this.store.inFlight(jobId) === 0) this.store.forgetJob(jobId);
      this.d.publish({ t: 'job', job: { id: jobId, status, counts: state.counts } }, await this.clientOf(jobId));
    }
    if (timers) await this.d.schedule.arm();
  }

  private async clientOf(jobId: string): Promise<string | null> {
    if (!this.clients.has(jobId)) this.clients.set(jobId, await jobClient(this.d.d1, jobId));
    return this.clients.get(jobId)!;
  }

  /** Alarm: the job's deadline. Devices still waiting are skipped; runs in progress finish. */
  expire(jobId: string): Promise<void> {
    return this.serial(async () => {
      const tenantId = await this.d.tenantId();
      if (await expireWaiting(this.d.d1, tenantId, jobId, Date.now())) {
        this.stop(jobId);
        this.dirty.add(jobId);
        return this.flush();
      }
      await skipPending(this.d.d1, tenantId, jobId, 'expired', Date.now());
      this.dirty.add(jobId);
      await this.flush();
    });
  }

  /**
   * Alarm, every 30 s while jobs run: picks up jobs it was never told of, recovers results
   * whose event was lost (D1 has them), and refills free slots.
   */
  sweep(): Promise<void> {
    return this.serial(async () => {
      const tenantId = await this.d.tenantId();
      const now = Date.now();
      const known = new Set(this.store.runIds());
      for (const id of await runningJobIds(this.d.d1, tenantId)) if (!known.has(id)) await this.apply(id);
      // A start whose alarm was lost (or whose hub was never told) is not missed for long.
      for (const id of await dueScheduled(this.d.d1, tenantId, now)) {
        if (await startScheduled(this.d.d1, tenantId, id, now)) await this.apply(id);
      }
      for (const jobId of this.store.runIds()) {
        const stale = this.store.stale(jobId, now - STALE_MS);
        if (stale.length) {
          for (const c of await settledCommands(this.d.d1, tenantId, stale)) {
            this.onCommandEvent({ deviceId: '', commandId: c.id, status: c.status, exitCode: c.exitCode, at: now });
          }
        }
        this.dirty.add(jobId);
      }
      await this.flush();
      // Jobs sent only inside maintenance windows look again when a window opens or closes.
      const change = nextWindowChange(await this.d.windows(), now);
      const next = change !== null && change < now + SWEEP_MS ? change : now + SWEEP_MS;
      if (this.store.runIds().length) this.d.schedule.put('job_sweep', next);
    });
  }

  /** Alarm, daily: command history past the tenant's retention. */
  async retention(now: number): Promise<void> {
    const more = await pruneHistory(this.d.d1, await this.d.tenantId(), now);
    this.d.schedule.put('retention', now + (more ? 60_000 : RETENTION_MS));
  }
}
