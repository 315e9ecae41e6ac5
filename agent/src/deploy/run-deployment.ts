import * as v from 'valibot';
import { InstallResult, type DeployFailure } from '../../../protocol/packages';
import { describeError } from '../log';
import type { StreamName } from '../output-capture';
import type { RunningScript, ScriptResult } from '../script-runner';
import { writeChunked } from '../system/data-command';
import { Deployment, Interrupted, type DeployContext } from './deployment';
import { DeployError, failureText } from './failure';

export interface DeploymentRequest {
  id: string;
  timeoutSeconds: number;
  /** What an unexpected error counts as. */
  fallback: DeployFailure;
}

/**
 * Runs a deployment flow as a command: steps go out as `cmd_step` frames while it runs; its
 * output is one InstallResult JSON document; the done frame carries the final step and, when
 * it did not succeed, `<failure>: <why>`.
 */
export function runDeployment(
  req: DeploymentRequest,
  ctx: DeployContext,
  out: (stream: StreamName, data: string) => void,
  flow: (d: Deployment) => Promise<void>,
): RunningScript {
  const started = Date.now();
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(new DeployError('timed_out', `not finished after ${req.timeoutSeconds} s`)), req.timeoutSeconds * 1000);
  const d = new Deployment(req.id, ctx, out, ctrl.signal, started + req.timeoutSeconds * 1000);

  const result = flow(d)
    .then(
      () => null,
      (err: unknown) => err,
    )
    .then((err): ScriptResult => {
      clearTimeout(timer);
      d.cleanup();
      const failure: DeployError | null = err === null || err instanceof Interrupted ? null : err instanceof DeployError ? err : new DeployError(req.fallback, describeError(err));
      if (err !== null && !d.final) d.enter('failed', failure?.message ?? (err as Error).message);
      else if (err === null && !d.final) d.enter('succeeded');
      const error = failure ? failureText(failure.failure, failure.message) : err instanceof Interrupted ? err.message : undefined;
      const report = v.parse(InstallResult, {
        name: d.name,
        version: d.version,
        outcome: d.step === 'pending' ? 'failed' : d.step,
        failure: failure?.failure ?? null,
        before: d.before,
        after: d.after,
        steps: d.steps,
        installerExit: d.installerExit,
        rebootRequired: d.rebootRequired,
      });
      writeChunked(out, 'stdout', JSON.stringify(report));
      if (error) out('stderr', `${error}\n`);
      return {
        status: err instanceof Interrupted ? 'interrupted' : d.step === 'succeeded' ? 'succeeded' : 'failed',
        exitCode: d.installerExit,
        durationMs: Date.now() - started,
        truncated: false,
        step: d.step,
        ...(error ? { error } : {}),
      };
    });
  return { result, interrupt: () => ctrl.abort(new Interrupted()) };
}
