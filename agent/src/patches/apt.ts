import type { PatchItem } from '../../../protocol/patches';
import { parseAptSimulation } from '../parsers/patches-apt';
import { failure, runProgram } from '../run-program';
import { withOperands, type Invocation } from './batch';
import { toolEnv, type PatchContext, type SourceScan } from './context';

/*
 * A simulation against the local package lists changes nothing, and with NoLocking it runs
 * beside unattended-upgrades. Installs name each package at the scanned version, so a
 * release published after the approval is not installed under its name.
 */

export const APT_SCAN_ARGS = ['-s', '-o', 'Debug::NoLocking=1', 'dist-upgrade'];

/** Keep the admin's edited configuration files; take the package's for untouched ones. */
export const APT_INSTALL_OPTIONS = ['-y', '-q', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold'];

export async function scanApt(ctx: PatchContext): Promise<SourceScan> {
  const r = await runProgram('apt-get', APT_SCAN_ARGS, { env: toolEnv(ctx), timeoutMs: 180_000 });
  if (r.code !== 0) return { ok: false, error: `apt: ${failure(r, 'apt-get -s dist-upgrade')}` };
  return { ok: true, items: parseAptSimulation(r.stdout) };
}

/**
 * `--only-upgrade` keeps apt from installing what is not installed yet; a package
 * dist-upgrade would newly pull in (a new kernel's image) has no installed version and
 * goes in a plain install of its own.
 */
export function aptPlan(ctx: PatchContext, items: readonly PatchItem[]): Invocation[] {
  const env = toolEnv(ctx, { DEBIAN_FRONTEND: 'noninteractive' });
  const specs = withOperands(items, (i) => `${i.name}=${i.availableVersion}`);
  const upgrades = specs.filter((s) => s.item.installedVersion !== null);
  const fresh = specs.filter((s) => s.item.installedVersion === null);
  const out: Invocation[] = [];
  const invocation = (group: typeof specs, extra: string[]): Invocation => ({ command: 'apt-get', args: ['install', ...APT_INSTALL_OPTIONS, ...extra, ...group.map((s) => s.operand)], env, items: group.map((s) => s.item) });
  if (upgrades.length) out.push(invocation(upgrades, ['--only-upgrade']));
  if (fresh.length) out.push(invocation(fresh, []));
  return out;
}
