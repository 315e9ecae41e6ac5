import type { CheckOf } from '../../../protocol/checks';
import type { ServiceParams } from '../../../protocol/command';
import { controlService } from '../system/service-control';
import { serviceStatus, type ServiceStatus } from '../system/service-status';
import { fail, pass, type CheckContext, type Outcome } from './outcome';

export interface ServiceCheckDeps {
  status(name: string): Promise<ServiceStatus>;
  control(p: ServiceParams): Promise<{ ok: boolean; error?: string }>;
  /** How long a restarted service gets before it is looked at again. */
  settleMs: number;
}

const defaultDeps = (platform: NodeJS.Platform): ServiceCheckDeps => ({
  status: (name) => serviceStatus(name, platform),
  control: (p) => controlService(p, platform),
  settleMs: 3_000,
});

/**
 * The service must be running. With `restart`, one restart is tried per outage (the first
 * time it is found down); the result says whether that worked, and a restart that worked is
 * reported at once as a warning, so the technician learns the service had stopped.
 */
export async function serviceCheck(c: CheckOf<'service'>, ctx: Pick<CheckContext, 'platform' | 'memory'>, deps = defaultDeps(ctx.platform)): Promise<Outcome> {
  const name = c.service;
  const before = await deps.status(name);
  if (before.state === 'running') {
    ctx.memory.restartTried = false;
    return pass(`${name} is running`);
  }
  if (before.state === 'unknown') return fail(`cannot check ${name}: ${before.detail}`);
  if (before.state === 'missing') return fail(`${name} is not installed`);
  if (!c.restart) return fail(`${name} is ${before.detail}`);
  if (ctx.memory.restartTried) return fail(`${name} is ${before.detail}; the automatic restart did not bring it back`);

  ctx.memory.restartTried = true;
  const action = before.state === 'stopped' || before.state === 'failed' ? 'start' : 'restart';
  const tried = await deps.control({ name, action });
  await new Promise((r) => setTimeout(r, deps.settleMs));
  const after = await deps.status(name);
  if (after.state === 'running') {
    return { status: 'warning', message: `${name} was ${before.detail}; restarted automatically`, urgent: true };
  }
  const why = tried.ok ? `it is ${after.detail}` : tried.error ?? 'unknown error';
  return fail(`${name} is ${before.detail}; automatic restart failed: ${why}`);
}
