import type { PatchItem } from '../../../protocol/patches';
import { dnfPatchItems, nevraText, parseDnfCheckUpdateList, parseDnfUpdateinfoInfo, parseDnfUpdateinfoList } from '../parsers/patches-dnf';
import { failure, runProgram } from '../run-program';
import { withOperands, type Invocation } from './batch';
import { toolEnv, which, type PatchContext, type SourceScan } from './context';

/*
 * dnf refreshes expired metadata itself, so a scan may take minutes on a slow mirror.
 * check-update answers 100 when updates exist, 0 when none, 1 on error; the advisory
 * listings are extra detail, and without them the updates are still listed.
 */

const TIMEOUT_MS = 300_000;

export async function scanDnf(ctx: PatchContext): Promise<SourceScan> {
  const env = toolEnv(ctx);
  const check = await runProgram('dnf', ['-q', 'check-update'], { env, timeoutMs: TIMEOUT_MS });
  if (check.code !== 0 && check.code !== 100) return { ok: false, error: `dnf: ${failure(check, 'dnf check-update')}` };
  const list = await runProgram('dnf', ['-q', 'updateinfo', 'list', '--updates'], { env, timeoutMs: TIMEOUT_MS });
  const rows = list.code === 0 ? parseDnfUpdateinfoList(list.stdout) : [];
  const info = rows.length ? await runProgram('dnf', ['-q', 'updateinfo', 'info', '--updates'], { env, timeoutMs: TIMEOUT_MS }) : null;
  return { ok: true, items: dnfPatchItems(parseDnfCheckUpdateList(check.stdout), rows, info?.code === 0 ? parseDnfUpdateinfoInfo(info.stdout) : undefined) };
}

/** `needs-restarting -r` (dnf-utils) exits 1 when the running kernel or core libraries are stale. */
export async function dnfRebootPending(ctx: PatchContext): Promise<boolean | null> {
  const tool = which(ctx, 'needs-restarting');
  if (!tool) return null;
  const r = await runProgram(tool, ['-r'], { env: toolEnv(ctx), timeoutMs: 60_000 });
  return r.code === 1 ? true : r.code === 0 ? false : null;
}

/** The item's name is "name.arch" and its version [epoch:]version-release: together a NEVRA. */
export function dnfNevra(item: PatchItem): string | null {
  const dot = item.name.lastIndexOf('.');
  if (dot <= 0 || !item.availableVersion) return null;
  return nevraText({ name: item.name.slice(0, dot), arch: item.name.slice(dot + 1), evr: item.availableVersion });
}

export function dnfPlan(ctx: PatchContext, items: readonly PatchItem[]): Invocation[] {
  const named = withOperands(items, dnfNevra);
  if (!named.length) return [];
  return [{ command: 'dnf', args: ['upgrade', '-y', '-q', ...named.map((n) => n.operand)], env: toolEnv(ctx), items: named.map((n) => n.item) }];
}
