import type { CheckResultsFrame } from '../../../protocol/agent-frames';
import type { AgentCheck, AgentCheckConfig, CheckResult } from '../../../protocol/checks';
import { Periodic } from '../collectors/periodic';
import { packFrames } from '../frame-guard';
import { describeError, log } from '../log';
import { utf8Prefix } from '../output-capture';
import type { CheckRunner, Outcome } from './outcome';
import { runCheck } from './run-check';

export type ResultsFrame = Omit<CheckResultsFrame, 'fid'>;

export interface SchedulerDeps {
  /** Makes a results frame durable and sends it when connected. */
  emit(frame: ResultsFrame): void;
  scratchDir: string;
  run?: CheckRunner;
  platform?: NodeJS.Platform;
  now?: () => number;
  /** Checks running at the same time, so twenty script checks do not start at once. */
  maxConcurrent?: number;
  /** Status changes within this window travel in one frame. */
  batchMs?: number;
  /** The full set after a new config waits at most this long for the first round. */
  firstRoundMs?: number;
  /** New checks' first runs are spread over up to this long. */
  spreadMs?: number;
}

interface Slot {
  check: AgentCheck;
  /** The definition as JSON: an unchanged check keeps its state across config updates. */
  same: string;
  loop: Periodic;
  failures: number;
  /** What was last reported (or would be, after a reconnect). */
  settled: CheckResult | null;
  memory: Record<string, unknown>;
  abort: AbortController;
}

/**
 * Runs the agent's checks, each on its own interval, and reports their results. A check's
 * status counts once it has failed `failAfter` times in a row (a pass counts at once); only
 * changes of status are sent as they happen, the full set after every (re)connect and after
 * a new config is applied.
 */
export class CheckScheduler {
  private config: AgentCheckConfig | null = null;
  private readonly slots = new Map<string, Slot>();
  private changes: CheckResult[] = [];
  private batchTimer: NodeJS.Timeout | null = null;
  /** During a new config's first round, changes wait: the full set that follows carries them. */
  private holding = false;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly run: CheckRunner;
  private readonly now: () => number;

  constructor(private readonly deps: SchedulerDeps) {
    this.run = deps.run ?? runCheck;
    this.now = deps.now ?? Date.now;
  }

  /** The results the full set would carry now. */
  results(): CheckResult[] {
    return [...this.slots.values()].flatMap((s) => (s.settled ? [s.settled] : []));
  }

  /**
   * Switches to a new config: removed and changed checks stop (a running script is killed),
   * unchanged ones keep their schedule and state, new ones run promptly. Resolves once the
   * full set for the new version has been sent.
   */
  async apply(config: AgentCheckConfig): Promise<void> {
    this.flushChanges();
    this.config = config;
    this.holding = true;
    const next = config.checks.filter((c) => c.enabled);
    const keep = new Map(next.map((c) => [c.key, JSON.stringify(c)]));
    for (const [key, slot] of this.slots) {
      if (keep.get(key) !== slot.same) this.drop(key, slot);
    }
    const firstRuns: Promise<void>[] = [];
    for (const check of next) {
      if (this.slots.has(check.key)) continue;
      const slot = this.add(check);
      // Spread first runs over a few seconds so a new config does not start everything at once.
      const delay = Math.floor(Math.random() * Math.min(this.deps.spreadMs ?? 3_000, check.intervalSeconds * 1000));
      firstRuns.push(new Promise<void>((r) => setTimeout(r, delay).unref()).then(() => slot.loop.runNow()));
      slot.loop.start(check.intervalSeconds, check.intervalSeconds * 1000 + delay);
    }
    const cap = new Promise<void>((r) => setTimeout(r, this.deps.firstRoundMs ?? 30_000).unref());
    await Promise.race([Promise.allSettled(firstRuns), cap]);
    if (this.config !== config) return;
    this.holding = false;
    this.sendFull();
  }

  /** Runs one check now, outside its schedule; resolves when its result is recorded. */
  runNow(key: string): Promise<void> {
    return this.slots.get(key)?.loop.runNow() ?? Promise.resolve();
  }

  /** After a (re)connect: every settled result of the current config. */
  onConnect(): void {
    if (!this.holding) this.sendFull();
  }

  stop(): void {
    // A first round still in flight must not report after the stop.
    this.config = null;
    this.holding = false;
    for (const [key, slot] of this.slots) this.drop(key, slot);
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
  }

  private add(check: AgentCheck): Slot {
    const slot: Slot = {
      check,
      same: JSON.stringify(check),
      loop: new Periodic(`check ${check.key}`, () => this.runSlot(check.key, slot)),
      failures: 0,
      settled: null,
      memory: {},
      abort: new AbortController(),
    };
    this.slots.set(check.key, slot);
    return slot;
  }

  private drop(key: string, slot: Slot): void {
    slot.loop.stop();
    slot.abort.abort();
    this.slots.delete(key);
  }

  private async runSlot(key: string, slot: Slot): Promise<void> {
    await this.acquire();
    let outcome: Outcome;
    try {
      if (this.slots.get(key) !== slot) return;
      outcome = await this.run(slot.check, {
        platform: this.deps.platform ?? process.platform,
        scratchDir: this.deps.scratchDir,
        signal: slot.abort.signal,
        memory: slot.memory,
      }).catch((err) => ({ status: 'fail' as const, message: `check could not run: ${describeError(err)}` }));
    } finally {
      this.release();
    }
    // Removed or replaced while it ran: its result belongs to no current check.
    if (this.slots.get(key) === slot) this.record(slot, outcome);
  }

  private record(slot: Slot, o: Outcome): void {
    const result: CheckResult = {
      key: slot.check.key,
      status: o.status,
      at: this.now(),
      message: o.message.slice(0, 1024),
      ...(o.output ? { output: utf8Prefix(o.output, 8192) } : {}),
      ...(typeof o.value === 'number' && Number.isFinite(o.value) ? { value: o.value } : {}),
    };
    slot.failures = o.status === 'pass' ? 0 : slot.failures + 1;
    if (o.status !== 'pass' && !o.urgent && slot.failures < slot.check.failAfter) return;
    const changed = slot.settled?.status !== result.status;
    slot.settled = result;
    if (!changed) return;
    log.info(`check ${result.key}: ${result.status} (${result.message})`);
    this.changes.push(result);
    if (!this.holding) this.batchTimer ??= setTimeout(() => this.flushChanges(), this.deps.batchMs ?? 250);
  }

  private flushChanges(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    const changes = this.changes;
    this.changes = [];
    if (changes.length && this.config) this.emitResults(this.config.version, changes);
  }

  private sendFull(): void {
    // Pending changes are all part of the full set.
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    this.changes = [];
    if (!this.config) return;
    const all = this.results();
    if (all.length) this.emitResults(this.config.version, all);
  }

  private emitResults(version: string, results: CheckResult[]): void {
    const { groups, dropped } = packFrames(results, (g) => ({ t: 'check_results', fid: 1, version, results: g }));
    if (dropped) log.warn(`${dropped} check result(s) too large to send`);
    for (const g of groups) {
      for (let i = 0; i < g.length; i += 1000) this.deps.emit({ t: 'check_results', version, results: g.slice(i, i + 1000) });
    }
  }

  private async acquire(): Promise<void> {
    if (this.active < (this.deps.maxConcurrent ?? 4)) {
      this.active++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
