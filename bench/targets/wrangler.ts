import { join } from 'node:path';
import { ROOT, applyMigrations, ensureDevVars, nodeBinary, waitFor } from '../../scripts/lib/platform';
import { recentLog, startLong, stop } from '../../scripts/lib/processes';
import { processTree } from '../procs';
import { snapshot } from './snapshot';
import { freshStateDir, removeStateDir, requireBuiltAssets } from './state-dir';
import type { Target, TargetOptions } from './target';
import { prepareTenant } from './tenant';

/**
 * `wrangler dev` as a developer runs it (its dev proxy in front of the Worker), on its own
 * port and state folder, with the heartbeat interval set through a var override. It serves
 * a frozen bundle of the code (see snapshot.ts) with the repository's wrangler.toml.
 */
export async function startWrangler(opts: TargetOptions): Promise<Target> {
  requireBuiltAssets();
  ensureDevVars();
  const stateDir = freshStateDir(`wrangler-${opts.port}`);
  const frozen = await snapshot(stateDir);
  await applyMigrations(stateDir);
  const args = [
    join(ROOT, 'node_modules/.bin/wrangler'),
    'dev',
    frozen.script,
    '--no-bundle',
    '--assets', frozen.assets,
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--show-interactive-dev-session=false',
    '--persist-to', stateDir,
    '--var', `HEARTBEAT_SECONDS:${opts.heartbeatSeconds}`,
    // Local only: the desk part's Slack stand-in listens on http://127.0.0.1.
    '--var', 'ALLOW_LOOPBACK_TARGETS:true',
  ];
  const child = startLong('wrangler', nodeBinary(), args, {
    cwd: ROOT,
    quiet: true,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const url = `http://127.0.0.1:${opts.port}`;
  try {
    await waitFor(async () => (await fetch(`${url}/api/v1/health`)).ok, 120_000, () => {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${recentLog(child).slice(-3000)}`);
    });
    const tenant = await prepareTenant(url, opts.maxDevices);
    return {
      name: 'wrangler',
      url,
      ...tenant,
      bundle: frozen.script,
      processes: () => processTree(child.pid!),
      recentOutput: () => recentLog(child),
      isRuntime: (p) => p.comm === 'workerd',
      async close() {
        await stop(child);
        if (!opts.keepState) removeStateDir(stateDir);
      },
    };
  } catch (err) {
    await stop(child);
    removeStateDir(stateDir);
    throw err;
  }
}
