import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../../db/schema';
import type { CommandPayload, RunScriptParams } from '../../protocol/command';
import type { CommandSpec } from '../../protocol/api/commands';
import { SECRET_MASK } from '../../protocol/scripts';
import { prepareCommand, type PreparedCommand } from '../../worker/lib/commands/prepare';
import { newId } from '../../worker/lib/ids';
import { envName, unmaskRunParams } from '../../worker/lib/scripts/render';
import { openSecrets } from '../../worker/lib/jobs/secrets';
import type { QueuedCommand } from '../contracts';
import { failDispatch, loadJob, onlinePending, recordDispatch, type JobRecord } from './job-d1';
import { JobSigner } from './job-signer';
import type { JobStore } from './job-store';
import type { Window } from './config-cache';
import { openScopes } from './job-windows';

/* DeviceHub calls in flight at once during a dispatch. */
const ENQUEUE_PARALLEL = 250;
/* DeviceHub calls in flight at once while withdrawing a cancelled job's commands. */
const CANCEL_PARALLEL = 100;

export interface DispatchDeps {
  d1: D1Database;
  masterKey: string;
  tenantId: () => Promise<string>;
  enqueue: (cmd: QueuedCommand, meta: { tenantId: string; deviceId: string; clientId: string }) => Promise<unknown>;
  windows: () => Promise<readonly Window[]>;
}

/** What a job sends, rendered once per hub instance (secrets in clear, memory only). */
interface Rendered {
  job: JobRecord;
  prepared: PreparedCommand;
}

/* The job's stored action with its sealed secret values put back, ready to render again. */
function unmaskedSpec(action: Record<string, unknown>, secrets: Record<string, string>): CommandSpec {
  if (action.type === 'script') {
    const values = { ...(action.values as Record<string, unknown>) };
    for (const [k, val] of Object.entries(values)) if (val === SECRET_MASK && envName(k) in secrets) values[k] = secrets[envName(k)];
    return { ...action, values } as CommandSpec;
  }
  if (action.type === 'run_script') return { ...action, params: unmaskRunParams(action.params as RunScriptParams, secrets) } as CommandSpec;
  return action as CommandSpec;
}

/**
 * Sends a job to devices: renders its action again (as its creator was allowed to), signs one
 * command per device, writes the commands rows and the targets' move in one D1 batch, then
 * hands each command to its DeviceHub.
 */
export class JobDispatcher {
  private readonly rendered = new Map<string, Rendered>();
  private readonly signer: JobSigner;

  constructor(
    private readonly d: DispatchDeps,
    private readonly store: JobStore,
  ) {
    this.signer = new JobSigner(d.d1, d.masterKey, d.tenantId);
  }

  /** The job changed (approved, retried, ended): render it afresh next time. */
  forget(jobId: string): void {
    this.rendered.delete(jobId);
  }

  private async render(tenantId: string, jobId: string): Promise<Rendered | null> {
    const cached = this.rendered.get(jobId);
    if (cached) return cached;
    const job = await loadJob(this.d.d1, tenantId, jobId);
    if (!job || job.status !== 'running') return null;
    const secrets = await openSecrets(this.d.masterKey, job.secretsEnc);
    const db = drizzle(this.d.d1, { schema });
    // The creator was allowed to see the script, and the version is pinned in the action.
    const prepared = await prepareCommand(db, { tenantId, clientIds: null }, unmaskedSpec(job.action, secrets));
    const rendered = { job, prepared };
    this.rendered.set(jobId, rendered);
    return rendered;
  }

  /**
   * Sends the job to online pending devices while it has free slots. Answers the commands
   * no DeviceHub would take (already failed in D1 and settled here).
   */
  async dispatch(tenantId: string, jobId: string): Promise<string[]> {
    const run = this.store.run(jobId);
    const now = Date.now();
    if (!run || run.expiresAt <= now) return [];
    const free = run.concurrency - this.store.inFlight(jobId);
    if (free <= 0) return [];
    const r = await this.render(tenantId, jobId);
    if (!r) return [];
    const { job, prepared } = r;
    // Rings: only the canary until the gate opens. Window-only jobs: only devices inside an open window now.
    const scopes = job.windowOnly ? openScopes(await this.d.windows(), now) : null;
    const devices = await onlinePending(this.d.d1, tenantId, jobId, free, job.ring, scopes);
    if (devices.length === 0) return [];
    const sent = await Promise.all(
      devices.map(async (dev) => {
        const id = newId('cmd', now);
        const payload = { type: prepared.type, id, deviceId: dev.deviceId, tenantId, issuedAt: now, expiresAt: job.expiresAt, params: prepared.params };
        return { id, deviceId: dev.deviceId, clientId: dev.clientId, signed: await this.signer.sign(payload as Omit<CommandPayload, 'v' | 'nonce'>) };
      }),
    );
    await recordDispatch(this.d.d1, {
      jobId,
      tenantId,
      type: prepared.type,
      params: prepared.stored,
      label: prepared.label,
      scriptId: prepared.scriptId,
      scriptVersion: prepared.scriptVersion,
      createdBy: job.requestedBy,
      createdAt: now,
      expiresAt: job.expiresAt,
      sent,
      deploy: job.kind === 'deployment',
    });
    this.store.addCommands(
      jobId,
      sent.map((s) => ({ commandId: s.id, deviceId: s.deviceId })),
      now,
    );
    const failed: string[] = [];
    for (let i = 0; i < sent.length; i += ENQUEUE_PARALLEL) {
      const part = sent.slice(i, i + ENQUEUE_PARALLEL);
      const outcomes = await Promise.allSettled(
        part.map((s) =>
          this.d.enqueue({ id: s.id, type: prepared.type, signed: s.signed, createdAt: now, expiresAt: job.expiresAt }, { tenantId, deviceId: s.deviceId, clientId: s.clientId }),
        ),
      );
      outcomes.forEach((o, k) => {
        if (o.status === 'rejected') failed.push(part[k]!.id);
      });
    }
    if (failed.length) {
      console.error('job enqueue failed', jobId, failed.length);
      await failDispatch(this.d.d1, tenantId, failed, 'could not queue the command', Date.now());
      for (const id of failed) this.store.markFinal(id);
    }
    return failed;
  }
}

/* A cancelled job's commands still waiting in their DeviceHub are withdrawn; ones an agent already has finish. */
export async function withdraw(
  open: readonly { deviceId: string; commandId: string }[],
  cancel: (deviceId: string, commandId: string) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < open.length; i += CANCEL_PARALLEL) {
    await Promise.allSettled(open.slice(i, i + CANCEL_PARALLEL).map((c) => cancel(c.deviceId, c.commandId)));
  }
}
