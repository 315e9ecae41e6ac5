import { describeError } from '../log';
import type { StreamName } from '../output-capture';
import type { RunningScript, ScriptResult } from '../script-runner';
import { writeChunked } from '../system/data-command';

/*
 * scan_patches and install_patches print one JSON document on stdout even when they fail
 * (a failed install still says which keys went in). Interrupting (the agent stopping) does
 * not kill a package manager mid-install: no further batch starts, and the command reports
 * 'interrupted' at once.
 */
export function patchCommand(work: (stopped: () => boolean) => Promise<{ json: unknown; error: string | null }>, out: (stream: StreamName, data: string) => void): RunningScript {
  const started = Date.now();
  let stopped = false;
  let interrupted: (r: ScriptResult) => void = () => {};
  const stop = new Promise<ScriptResult>((resolve) => (interrupted = resolve));
  const done = work(() => stopped)
    .then((r): ScriptResult => {
      writeChunked(out, 'stdout', JSON.stringify(r.json));
      const durationMs = Date.now() - started;
      return r.error ? { status: 'failed', exitCode: null, durationMs, truncated: false, error: r.error } : { status: 'succeeded', exitCode: 0, durationMs, truncated: false };
    })
    .catch((err): ScriptResult => {
      const error = describeError(err);
      writeChunked(out, 'stderr', `${error}\n`);
      return { status: 'failed', exitCode: null, durationMs: Date.now() - started, truncated: false, error };
    });
  return {
    result: Promise.race([done, stop]),
    interrupt() {
      stopped = true;
      interrupted({ status: 'interrupted', exitCode: null, durationMs: Date.now() - started, truncated: false, error: 'the agent stopped while updates were installing' });
    },
  };
}
