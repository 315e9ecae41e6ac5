import type { KeyObject } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { CollectInventoryResult, CommandPayload, SignedCommand } from '../../protocol/command';
import type { DoneFrame } from '../../protocol/agent-frames';
import type { Journal } from './journal';
import type { NewDurableFrame } from './outbox';
import type { StreamName } from './output-capture';
import { runScript, type RunningScript, type ScriptResult } from './script-runner';
import { dataCommand } from './system/data-command';
import type { DeployDeps } from './deploy/deployment';
import { installPackage, uninstallPackage } from './deploy/install-flow';
import { packagePlatform } from './deploy/manifest';
import type { PatchManager } from './patches/manager';
import { patchCommand } from './patches/command';
import { fetchFile } from './system/fetch-file';
import { killProcess } from './system/kill-process';
import { cancelPower, schedulePower } from './system/power';
import { processList } from './system/process-list';
import { readRegistry } from './system/registry-read';
import { runServiceCommand } from './system/service-command';
import { verifyCommand } from './verify';
import { describeError, log } from './log';

export interface CommandDeps {
  key: KeyObject;
  deviceId: string;
  tenantId: string;
  journal: Journal;
  /** Private directory for script files; emptied at start (leftovers of a crashed run). */
  scratchDir: string;
  /** Makes a result durable and sends it when connected. */
  emit(frame: NewDurableFrame): void;
  /** Collects inventory now and queues what changed (collect_inventory). */
  collectInventory?: () => Promise<CollectInventoryResult>;
  /** Package downloads and deployment progress (install_package, uninstall_package). */
  deploy?: DeployDeps;
  /** Patch scans and installs (scan_patches, install_patches). */
  patches?: PatchManager;
  now?: () => number;
}

type Refusal = Pick<DoneFrame, 'status' | 'error'>;

/**
 * Receives signed commands (scripts, service control, processes, power, files, registry) and makes them run
 * at most once: every check passes before anything runs, the journal records the id before
 * the command starts, and a redelivered id is only acknowledged again.
 */
export class CommandRunner {
  private readonly running = new Map<string, RunningScript>();
  private readonly now: () => number;

  constructor(private readonly deps: CommandDeps) {
    this.now = deps.now ?? Date.now;
    rmSync(deps.scratchDir, { recursive: true, force: true });
  }

  /** Commands the previous run started but never finished are reported, not rerun. */
  reportInterrupted(hasDoneFor: (id: string) => boolean): void {
    for (const entry of this.deps.journal.unfinished()) {
      if (!hasDoneFor(entry.id)) {
        log.warn(`command ${entry.id} was interrupted by an agent restart`);
        this.emitDone(entry.id, { status: 'interrupted', error: 'the agent stopped while the command was running' });
      }
      this.deps.journal.record({ ...entry, s: 'finished' });
    }
  }

  handle(signed: SignedCommand): void {
    const { deps } = this;
    const verdict = verifyCommand(signed, { key: deps.key, deviceId: deps.deviceId, tenantId: deps.tenantId, now: this.now() });
    const trusted = verdict.ok ? verdict.cmd : verdict.signed;

    // A redelivery (after a reconnect, or after a restart) is acknowledged, never rerun.
    if (trusted && deps.journal.get(trusted.id)) {
      log.info(`command ${trusted.id} redelivered: acknowledged again, not rerun`);
      deps.emit({ t: 'cmd_ack', id: trusted.id });
      return;
    }
    if (!verdict.ok) {
      this.refuse(verdict.id, verdict.signed, { status: verdict.status, error: verdict.error });
      return;
    }
    const cmd = verdict.cmd;
    if (deps.journal.nonceSeen(cmd.nonce)) {
      this.refuse(cmd.id, cmd, { status: 'rejected', error: 'replayed nonce' });
      return;
    }
    deps.journal.record({ id: cmd.id, nonce: cmd.nonce, exp: cmd.expiresAt, s: 'started' });
    deps.emit({ t: 'cmd_ack', id: cmd.id });
    this.start(cmd);
  }

  /** Stops every running command; each reports 'interrupted'. Resolves when all reported. */
  async interruptAll(): Promise<void> {
    const pending = [...this.running.values()].map((r) => {
      r.interrupt();
      return r.result;
    });
    await Promise.allSettled(pending);
  }

  get active(): number {
    return this.running.size;
  }

  private start(cmd: CommandPayload): void {
    let seq = 0;
    const out = (stream: StreamName, data: string) => this.deps.emit({ t: 'out', id: cmd.id, seq: seq++, stream, data });
    let run: RunningScript;
    try {
      run = this.launch(cmd, out);
    } catch (err) {
      this.finish(cmd, { status: 'failed', exitCode: null, durationMs: 0, truncated: false, error: describeError(err) });
      return;
    }
    this.running.set(cmd.id, run);
    void run.result.then((r) => {
      this.running.delete(cmd.id);
      this.finish(cmd, r);
    });
  }

  private launch(cmd: CommandPayload, out: (stream: StreamName, data: string) => void): RunningScript {
    switch (cmd.type) {
      case 'run_script': {
        const p = cmd.params;
        // Parameter names only: values (secrets among them) never reach the log.
        const params = Object.keys(p.env).length ? `, parameters ${Object.keys(p.env).join(' ')}` : '';
        log.info(`command ${cmd.id}: run_script (${p.interpreter}, timeout ${p.timeoutSeconds} s, as ${p.runAs}${params})`);
        return runScript(p, out, { scratchDir: this.deps.scratchDir });
      }
      case 'service':
        log.info(`command ${cmd.id}: service ${cmd.params.action} ${cmd.params.name}`);
        return runServiceCommand(cmd.params, out);
      case 'kill_process': {
        const p = cmd.params;
        log.info(`command ${cmd.id}: kill_process ${p.pid}${p.name ? ` (${p.name})` : ''}${p.force ? ', forced' : ''}`);
        const started = Date.now();
        const result = killProcess(p).then((k): ScriptResult => {
          out(k.ok ? 'stdout' : 'stderr', `${k.message}\n`);
          return { status: k.ok ? 'succeeded' : 'failed', exitCode: null, durationMs: Date.now() - started, truncated: false, ...(k.ok ? {} : { error: k.message }) };
        });
        // Ending a process takes seconds at most; there is nothing to interrupt.
        return { result, interrupt() {} };
      }
      case 'process_list':
        log.info(`command ${cmd.id}: process_list`);
        return dataCommand(processList, out);
      case 'power': {
        const p = cmd.params;
        log.info(`command ${cmd.id}: power ${p.action} in ${p.delaySeconds} s`);
        return dataCommand(() => schedulePower(p), out);
      }
      case 'power_cancel':
        log.info(`command ${cmd.id}: power_cancel`);
        return dataCommand(() => cancelPower(), out);
      case 'fetch_file':
        log.info(`command ${cmd.id}: fetch_file ${cmd.params.path} (at most ${cmd.params.maxBytes} bytes)`);
        return dataCommand(() => fetchFile(cmd.params), out);
      case 'registry_read': {
        const p = cmd.params;
        log.info(`command ${cmd.id}: registry_read ${p.hive}\\${p.key}${p.value !== undefined ? ` value "${p.value}"` : ''}`);
        return dataCommand(() => readRegistry(p), out);
      }
      case 'collect_inventory': {
        log.info(`command ${cmd.id}: collect_inventory`);
        const collect = this.deps.collectInventory;
        if (!collect) return dataCommand(() => Promise.reject(new Error('inventory collection is not available in this agent')), out);
        return dataCommand(async () => ({ ok: true, json: await collect() }), out);
      }
      case 'install_package':
      case 'uninstall_package': {
        log.info(`command ${cmd.id}: ${cmd.type}`);
        const deploy = this.deps.deploy;
        if (!deploy) return dataCommand(() => Promise.reject(new Error('package deployment is not available in this agent')), out);
        const ctx = { ...deploy, key: this.deps.key, tenantId: this.deps.tenantId, platform: packagePlatform() };
        return cmd.type === 'install_package' ? installPackage(cmd.id, cmd.params, ctx, out) : uninstallPackage(cmd.id, cmd.params, ctx, out);
      }
      case 'scan_patches':
      case 'install_patches': {
        const patches = this.deps.patches;
        if (!patches) return dataCommand(() => Promise.reject(new Error('patch management is not available in this agent')), out);
        if (cmd.type === 'scan_patches') {
          log.info(`command ${cmd.id}: scan_patches`);
          return patchCommand(async () => ({ json: await patches.scanNow(), error: null }), out);
        }
        const p = cmd.params;
        log.info(`command ${cmd.id}: install_patches (${p.keys.length} key(s), reboot ${p.reboot}, timeout ${p.timeoutSeconds} s)`);
        return patchCommand(async (stopped) => {
          const run = await patches.install(p, stopped);
          return { json: run.result, error: run.error };
        }, out);
      }
    }
  }

  private finish(cmd: CommandPayload, r: Omit<DoneFrame, 't' | 'fid' | 'id'>): void {
    log.info(`command ${cmd.id} ${r.status}${r.exitCode !== null ? ` (exit ${r.exitCode})` : ''}${r.error ? `: ${r.error}` : ''}`);
    // The done frame is on disk before the journal says finished: a crash in between is
    // seen at restart (a started entry whose done is still in the outbox) and not re-reported.
    this.deps.emit({ t: 'done', id: cmd.id, ...r, ...(r.error ? { error: r.error.slice(0, 1024) } : {}) });
    this.deps.journal.record({ id: cmd.id, nonce: cmd.nonce, exp: cmd.expiresAt, s: 'finished' });
    this.deps.journal.prune(this.now());
  }

  private refuse(id: string | null, cmd: CommandPayload | null, why: Refusal): void {
    log.warn(`command ${id ?? '(no id)'} refused: ${why.error}`);
    if (!id) return;
    // Only a command whose signature held is remembered; a forged one must not poison the journal.
    if (cmd) this.deps.journal.record({ id: cmd.id, nonce: cmd.nonce, exp: cmd.expiresAt, s: 'finished' });
    this.deps.emit({ t: 'cmd_ack', id });
    this.emitDone(id, why);
  }

  private emitDone(id: string, why: Refusal): void {
    this.deps.emit({ t: 'done', id, status: why.status, exitCode: null, durationMs: 0, truncated: false, error: why.error });
  }
}
