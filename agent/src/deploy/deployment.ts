import type { KeyObject } from 'node:crypto';
import { copyFileSync, linkSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { CommandStepFrame } from '../../../protocol/agent-frames';
import { isFileInstaller, type DeployStep, type PackageManifest, type PackagePlatform, type SignedManifest } from '../../../protocol/packages';
import { describeError } from '../log';
import type { StreamName } from '../output-capture';
import { runProgram, type ProgramResult } from '../run-program';
import { writeChunked } from '../system/data-command';
import { pruneCache } from './cache';
import { downloadPackage, verifyPackage, type DownloadOptions } from './download';
import { DeployError } from './failure';
import { onPath, type Argv, type Installer, type InstallerOutcome } from './installers/common';
import { INSTALLERS } from './installers/index';
import { packageManagerLock, type InstallLock } from './lock';
import { checkManifest, checkRelated } from './manifest';

/** What the agent gives deployments: where packages come from and where progress goes. */
export interface DeployDeps {
  /** The server's base URL and this device's token, as at enrollment. */
  server: string;
  deviceToken: string;
  /** The private package cache. */
  packagesDir: string;
  /** Sends a progress frame now if connected; progress is not kept (the done frame is). */
  sendStep(frame: CommandStepFrame): void;
  /** Defaults to the agent's one package-manager lock. */
  lock?: InstallLock;
  /** Download tuning (retries, stall timeout). */
  download?: Pick<DownloadOptions, 'attempts' | 'retryDelayMs' | 'idleMs'>;
}

export interface DeployContext extends DeployDeps {
  key: KeyObject;
  tenantId: string;
  platform: PackagePlatform | null;
}

/** The agent stopped (shutdown) in the middle of a deployment. */
export class Interrupted extends Error {
  constructor() {
    super('the agent stopped during the deployment');
    this.name = 'Interrupted';
  }
}

/** Installer output kept in the command's stderr stream, per program run. */
const LOG_TAIL_CHARS = 8 * 1024;

/**
 * One deployment on this device: its steps (sent as they happen and kept for the result),
 * its deadline, and the programs and downloads it runs within it.
 */
export class Deployment {
  readonly steps: { step: DeployStep; at: number; detail?: string }[] = [];
  step: DeployStep = 'pending';
  name = '';
  version = '';
  before: string | null = null;
  after: string | null = null;
  installerExit: number | null = null;
  rebootRequired = false;
  private readonly leftovers: string[] = [];

  constructor(
    readonly id: string,
    readonly ctx: DeployContext,
    private readonly out: (stream: StreamName, data: string) => void,
    readonly signal: AbortSignal,
    private readonly deadline: number,
  ) {}

  get final(): boolean {
    return this.step === 'succeeded' || this.step === 'failed' || this.step === 'rolled_back';
  }

  enter(step: DeployStep, detail?: string): void {
    this.step = step;
    const d = detail?.slice(0, 300);
    this.steps.push({ step, at: Date.now(), ...(d ? { detail: d } : {}) });
    this.ctx.sendStep({ t: 'cmd_step', id: this.id, step, progress: null, ...(d ? { detail: d } : {}) });
  }

  progress(percent: number, detail?: string): void {
    this.ctx.sendStep({ t: 'cmd_step', id: this.id, step: this.step, progress: percent, ...(detail ? { detail: detail.slice(0, 300) } : {}) });
  }

  /** Stops at the next step boundary once the deadline passed or the agent is stopping. */
  checkpoint(): void {
    if (this.signal.aborted) throw this.signal.reason;
  }

  /** A signed manifest this deployment may act on (`main` given: one of the same package). */
  manifest(signed: SignedManifest, main?: PackageManifest, role = 'previous'): PackageManifest {
    const m = checkManifest(signed, this.ctx);
    if (main) checkRelated(main, m, role);
    else {
      this.name = m.name;
      this.version = m.version;
    }
    return m;
  }

  /** Everything that installs or removes software waits for its turn. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const lock = this.ctx.lock ?? packageManagerLock;
    if (lock.busy) this.enter('pending', 'waiting for another installation to finish');
    return lock.run(async () => {
      this.checkpoint();
      return work();
    }, this.signal);
  }

  /**
   * The verified package file, named as its installer wants it. `steps`: report downloading
   * and verifying as steps; otherwise as progress of the current step (a rollback's file).
   */
  async packageFile(m: PackageManifest, steps: boolean): Promise<string> {
    this.checkpoint();
    const what = `${m.name} ${m.version}`;
    if (steps) this.enter('downloading');
    const got = await downloadPackage(m, { server: this.ctx.server, deviceToken: this.ctx.deviceToken, dir: this.ctx.packagesDir }, {
      ...this.ctx.download,
      signal: this.signal,
      onProgress: (p) => this.progress(p, steps ? undefined : `downloading ${what}`),
    });
    this.checkpoint();
    if (steps) this.enter('verifying');
    const path = await verifyPackage(got, m);
    return this.named(path, INSTALLERS[m.installer].extension);
  }

  /** dnf and msiexec go by the file name's ending: a link to the verified file carries it. */
  private named(path: string, extension: string | undefined): string {
    if (!extension || path.endsWith(`.${extension}`)) return path;
    const named = join(dirname(path), `${basename(path, extname(path))}.${extension}`);
    rmSync(named, { force: true });
    try {
      linkSync(path, named);
    } catch {
      copyFileSync(path, named);
    }
    this.leftovers.push(named);
    return named;
  }

  /** Runs an installer's install; `main`: its exit code and reboot flag are the result's. */
  async install(m: PackageManifest, file: string | null, main: boolean): Promise<InstallerOutcome> {
    const outcome = await this.guarded(INSTALLERS[m.installer], (i) => i.install(this.installerContext(m, file)));
    if (main) {
      this.installerExit = outcome.exitCode;
      this.rebootRequired ||= outcome.rebootRequired;
    }
    return outcome;
  }

  async uninstall(m: PackageManifest, file: string | null): Promise<InstallerOutcome> {
    const outcome = await this.guarded(INSTALLERS[m.installer], (i) => i.uninstall(this.installerContext(m, file)));
    this.rebootRequired ||= outcome.rebootRequired;
    return outcome;
  }

  /** The package file when removing the software needs it. */
  async uninstallFile(m: PackageManifest, steps: boolean): Promise<string | null> {
    return isFileInstaller(m.installer) && INSTALLERS[m.installer].uninstallNeedsFile(m) ? this.packageFile(m, steps) : null;
  }

  /** An installer's refusal (an unsafe name, no file) is its failure; a deadline is not. */
  private async guarded(installer: Installer, work: (i: Installer) => Promise<InstallerOutcome>): Promise<InstallerOutcome> {
    this.checkpoint();
    try {
      return await work(installer);
    } catch (err) {
      if (err instanceof DeployError || err instanceof Interrupted) throw err;
      return { ok: false, exitCode: null, rebootRequired: false, error: describeError(err) };
    }
  }

  private installerContext(m: PackageManifest, file: string | null) {
    return { manifest: m, file, run: (argv: Argv) => this.run(argv), has: (command: string) => onPath(command) };
  }

  /** One program, within the deployment's deadline; what it printed goes to stderr. */
  async run(argv: Argv): Promise<ProgramResult> {
    this.checkpoint();
    const timeoutMs = Math.max(1000, this.deadline - Date.now());
    const r = await runProgram(argv.command, argv.args, { timeoutMs, maxBytes: 4 * 1024 * 1024, env: { ...process.env, ...argv.env } });
    const said = `${r.stdout}${r.stdout && !r.stdout.endsWith('\n') ? '\n' : ''}${r.stderr}`;
    const tail = said.length > LOG_TAIL_CHARS ? `…${said.slice(-LOG_TAIL_CHARS)}` : said;
    writeChunked(this.out, 'stderr', `$ ${[argv.command, ...argv.args].join(' ')}\n${tail}${tail && !tail.endsWith('\n') ? '\n' : ''}${r.code === null ? '' : `(exit ${r.code})\n`}`);
    if (r.timedOut) throw new DeployError('timed_out', `${argv.command} was still running at the deployment's deadline`);
    return r;
  }

  /** Links made for installers go; the cached package stays for the next time (for a while). */
  cleanup(): void {
    for (const path of this.leftovers.splice(0)) rmSync(path, { force: true });
    pruneCache(this.ctx.packagesDir);
  }
}
