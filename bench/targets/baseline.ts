import { join } from 'node:path';
import { ROOT, nodeBinary, waitFor } from '../../scripts/lib/platform';
import { recentLog, startLong, stop } from '../../scripts/lib/processes';
import { processTree } from '../procs';
import type { Target, TargetOptions } from './target';

/** The minimal Node `ws` server (bench/baseline/server.ts) in its own process, like the others. */
export async function startBaseline(opts: TargetOptions): Promise<Target> {
  const script = join(ROOT, 'bench/baseline/server.ts');
  const child = startLong('baseline', nodeBinary(), ['--import', 'tsx', script, '--port', String(opts.port), '--heartbeat', String(opts.heartbeatSeconds)], {
    cwd: ROOT,
    quiet: true,
  });
  const url = `http://127.0.0.1:${opts.port}`;
  try {
    await waitFor(async () => (await fetch(`${url}/api/v1/health`)).ok, 30_000, () => {
      if (child.exitCode !== null) throw new Error(`baseline server exited:\n${recentLog(child).slice(-3000)}`);
    });
  } catch (err) {
    await stop(child);
    throw err;
  }
  return {
    name: 'baseline',
    url,
    apiToken: 'baseline',
    enrollKey: `tek_${'b'.repeat(32)}`,
    processes: () => processTree(child.pid!),
    recentOutput: () => recentLog(child),
    isRuntime: (p) => p.pid === child.pid,
    close: () => stop(child),
  };
}
