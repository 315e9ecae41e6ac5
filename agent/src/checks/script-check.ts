import type { CheckOf } from '../../../protocol/checks';
import { utf8Prefix } from '../output-capture';
import { runScript, scriptEnv } from '../script-runner';
import { fail, type CheckContext, type Outcome } from './outcome';

/** What the protocol keeps of a script check's output. */
export const MAX_CHECK_OUTPUT_BYTES = 8 * 1024;

/**
 * Runs the script exactly like a run_script command (private file, argument vector, process
 * group killed on timeout). Exit 0 passes, a listed warning code warns, anything else fails;
 * the first line of output becomes the message, the first 8 KiB the output.
 */
export async function scriptCheck(c: CheckOf<'script'>, ctx: Pick<CheckContext, 'scratchDir' | 'signal'>): Promise<Outcome> {
  let output = '';
  const running = runScript(
    { interpreter: c.interpreter, script: c.script, args: [], timeoutSeconds: c.timeoutSeconds },
    (_stream, data) => {
      // Read everything (the script must not block on a full pipe) but keep only the start.
      if (output.length < MAX_CHECK_OUTPUT_BYTES * 2) output += data;
    },
    { scratchDir: ctx.scratchDir, env: scriptEnv() },
  );
  const onAbort = () => running.interrupt();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const r = await running.result.finally(() => ctx.signal.removeEventListener('abort', onAbort));
  const kept = utf8Prefix(output.trim(), MAX_CHECK_OUTPUT_BYTES);
  const withOutput = kept ? { output: kept } : {};
  const first = (kept.split('\n').find((l) => l.trim()) ?? '').trim().slice(0, 300);
  if (r.status === 'timed_out') return fail(`script timed out after ${c.timeoutSeconds} s`, withOutput);
  if (r.status === 'interrupted') return fail('script was stopped (agent stopping or checks changed)', withOutput);
  if (r.exitCode === null) return fail(`script did not run: ${r.error ?? 'unknown error'}`, withOutput);
  const status = r.exitCode === 0 ? 'pass' : c.warningExitCodes.includes(r.exitCode) ? 'warning' : 'fail';
  return { status, message: `exit ${r.exitCode}${first ? `: ${first}` : ''}`, value: r.exitCode, ...withOutput };
}
