import type { PatchItem } from '../../../protocol/patches';
import { BREW_QUIET_ENV, brewAsOwner, brewHomeAt } from '../deploy/installers/brew';
import { parseBrewOutdated } from '../parsers/patches-brew';
import { parseSoftwareUpdatePatches } from '../parsers/patches-softwareupdate';
import { parsePsJson } from '../powershell';
import { failure, runProgram } from '../run-program';
import { withOperands, type Invocation } from './batch';
import { brewPath, toolEnv, type PatchContext, type SourceScan } from './context';

/*
 * softwareupdate asks Apple's catalog (minutes on a slow link). Homebrew refuses to run as
 * root, and the agent runs as root: it runs as the owner of the Homebrew installation, the
 * same way the inventory lists its formulae.
 */

async function osMajor(ctx: PatchContext): Promise<number | null> {
  const r = await runProgram('sw_vers', ['-productVersion'], { env: toolEnv(ctx), timeoutMs: 10_000 });
  const major = Number(/^(\d+)/.exec(r.stdout.trim())?.[1]);
  return r.code === 0 && Number.isFinite(major) ? major : null;
}

export async function scanSoftwareUpdate(ctx: PatchContext): Promise<SourceScan> {
  const r = await runProgram('softwareupdate', ['-l'], { env: toolEnv(ctx), timeoutMs: 10 * 60_000 });
  // "No new software available." goes to stderr with exit 0.
  if (r.code !== 0) return { ok: false, error: `softwareupdate: ${failure(r, 'softwareupdate -l')}` };
  return { ok: true, items: parseSoftwareUpdatePatches(r.stdout, await osMajor(ctx)) };
}

export function softwareUpdatePlan(ctx: PatchContext, items: readonly PatchItem[]): Invocation[] {
  const labels = withOperands(items, (i) => i.key.slice('softwareupdate:'.length));
  return labels.length ? [{ command: 'softwareupdate', args: ['-i', ...labels.map((l) => l.operand)], env: toolEnv(ctx), items: labels.map((l) => l.item) }] : [];
}

/** The brew invocation, switched to the installation's owner when the agent is root. */
function brewInvocation(ctx: PatchContext, brew: string, args: string[]): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return { ...brewAsOwner(brewHomeAt(brew), args), env: toolEnv(ctx, BREW_QUIET_ENV) };
}

export async function scanBrew(ctx: PatchContext): Promise<SourceScan> {
  const brew = brewPath(ctx);
  if (!brew) return { ok: false, error: 'brew: not installed' };
  const inv = brewInvocation(ctx, brew, ['outdated', '--json=v2']);
  const r = await runProgram(inv.command, inv.args, { env: inv.env, timeoutMs: 180_000 });
  const doc = r.code === 0 ? parsePsJson(r.stdout) : null;
  if (!doc) return { ok: false, error: `brew: ${failure(r, 'brew outdated')}` };
  return { ok: true, items: parseBrewOutdated(doc) };
}

export function brewPlan(ctx: PatchContext, items: readonly PatchItem[]): Invocation[] {
  const brew = brewPath(ctx);
  const named = withOperands(items, (i) => i.name);
  if (!brew || !named.length) return [];
  return [{ ...brewInvocation(ctx, brew, ['upgrade', ...named.map((n) => n.operand)]), items: named.map((n) => n.item) }];
}
