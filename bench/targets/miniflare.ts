import { join } from 'node:path';
import { ROOT, applyMigrations, ensureDevVars, nodeBinary, waitFor } from '../../scripts/lib/platform';
import { recentLog, startLong, stop } from '../../scripts/lib/processes';
import { processTree } from '../procs';
import { snapshot } from './snapshot';
import { freshStateDir, removeStateDir, requireBuiltAssets } from './state-dir';
import type { Target, TargetOptions } from './target';
import { prepareTenant } from './tenant';

export interface MiniflareOptions extends TargetOptions {
  /** Also serve ./miniflare-control.ts on this port. */
  controlPort?: number;
}

export interface MiniflareTarget extends Target {
  /** POSTs to the control port (only when one was asked for). */
  control<T>(path: string, body: unknown): Promise<T>;
}

/**
 * The faster local path: the Worker bundled exactly as for a deploy, served by Miniflare's
 * API (bench/targets/miniflare-host.ts). Same code, bindings and per-object SQLite storage
 * as `wrangler dev`, minus the dev proxy. A bench-only way to run it, not how users run it.
 */
export async function startMiniflare(opts: MiniflareOptions): Promise<MiniflareTarget> {
  requireBuiltAssets();
  ensureDevVars();
  const stateDir = freshStateDir(`miniflare-${opts.port}`);
  const frozen = await snapshot(stateDir);
  await applyMigrations(stateDir);
  const host = join(ROOT, 'bench/targets/miniflare-host.ts');
  const args = ['--import', 'tsx', host, '--port', String(opts.port), '--persist', stateDir, '--script', frozen.script, '--assets', frozen.assets, '--heartbeat', String(opts.heartbeatSeconds)];
  if (opts.inspectorPort) args.push('--inspect', String(opts.inspectorPort));
  if (opts.controlPort) args.push('--control', String(opts.controlPort));
  const child = startLong('miniflare', nodeBinary(), args, { cwd: ROOT, quiet: true });
  const url = `http://127.0.0.1:${opts.port}`;
  const control = async <T>(path: string, body: unknown): Promise<T> => {
    if (!opts.controlPort) throw new Error('miniflare started without a control port');
    const res = await fetch(`http://127.0.0.1:${opts.controlPort}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  try {
    await waitFor(async () => (await fetch(`${url}/api/v1/health`)).ok, 120_000, () => {
      if (child.exitCode !== null) throw new Error(`miniflare host exited:\n${recentLog(child).slice(-3000)}`);
    });
    const tenant = await prepareTenant(url, opts.maxDevices);
    return {
      name: 'miniflare',
      url,
      ...tenant,
      bundle: frozen.script,
      processes: () => processTree(child.pid!),
      recentOutput: () => recentLog(child),
      isRuntime: (p) => p.comm === 'workerd',
      control,
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
