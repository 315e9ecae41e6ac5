import type { ServiceParams } from '../../../protocol/command';
import type { StreamName } from '../output-capture';
import { runCaptured, type RunningScript, type ScriptResult } from '../script-runner';
import { controlStep } from './service-control';
import { serviceStatus } from './service-status';

const CONTROL_TIMEOUT_SECONDS = 120;
const PAST: Record<ServiceParams['action'], string> = { start: 'started', stop: 'stopped', restart: 'restarted' };

/**
 * The `service` command: the service manager's own output streams to the technician like a
 * script's, followed by one line saying what state the service is in now.
 */
export function runServiceCommand(p: ServiceParams, out: (stream: StreamName, data: string) => void, platform = process.platform): RunningScript {
  let current: RunningScript | null = null;
  let interrupted = false;
  const started = Date.now();
  const result = (async (): Promise<ScriptResult> => {
    const fail = (error: string): ScriptResult => ({ status: 'failed', exitCode: null, durationMs: Date.now() - started, truncated: false, error });
    const step = await controlStep(p, platform);
    if ('error' in step) return fail(step.error);
    if (interrupted) return { ...fail('the agent stopped before the command ran'), status: 'interrupted' };
    current = runCaptured(step.command, step.args, { env: { ...process.env, ...step.env }, timeoutSeconds: CONTROL_TIMEOUT_SECONDS }, out);
    const r = await current.result;
    if (r.status !== 'succeeded') {
      return { ...r, error: r.error ?? `${p.action} of ${p.name} failed (${step.command} exited ${r.exitCode})` };
    }
    const now = await serviceStatus(p.name, platform);
    out('stdout', `${p.name} ${PAST[p.action]}; it is now ${now.detail}\n`);
    return { ...r, durationMs: Date.now() - started };
  })();
  return {
    result,
    interrupt() {
      interrupted = true;
      current?.interrupt();
    },
  };
}
