import type { PatchItem } from '../../../protocol/patches';
import { parseWuaInstall, parseWuaScan } from '../parsers/patches-wua';
import { parsePsJson, runPowerShell } from '../powershell';
import { failure } from '../run-program';
import type { InstallOutcome, PatchContext, SourceScan } from './context';
import { WUA_INSTALL_SCRIPT, WUA_KEYS_VAR, WUA_SCAN_SCRIPT } from './wua-scripts';

/** A Windows Update search contacts Microsoft (or WSUS) and can take many minutes. */
const SCAN_TIMEOUT_MS = 20 * 60_000;

export async function scanWua(ctx: PatchContext): Promise<SourceScan> {
  const r = await runPowerShell(WUA_SCAN_SCRIPT, { timeoutMs: SCAN_TIMEOUT_MS, env: ctx.env as Record<string, string> });
  const doc = r.code === 0 ? parsePsJson(r.stdout) : null;
  if (!doc) return { ok: false, error: `wua: ${failure(r, 'Windows Update search')}` };
  const { items, rebootRequired } = parseWuaScan(doc);
  return { ok: true, items, rebootRequired };
}

/** One download-and-install session for every chosen update: WUA orders them itself. */
export async function installWua(ctx: PatchContext, items: readonly PatchItem[], timeoutMs: number): Promise<{ outcome: InstallOutcome; rebootRequired: boolean }> {
  const outcome: InstallOutcome = new Map();
  const r = await runPowerShell(WUA_INSTALL_SCRIPT, { timeoutMs, env: { ...(ctx.env as Record<string, string>), [WUA_KEYS_VAR]: JSON.stringify(items.map((i) => i.key)) } });
  const parsed = r.code === 0 ? parseWuaInstall(parsePsJson(r.stdout)) : null;
  const error = parsed ? 'Windows Update did not offer this update any more' : failure(r, 'Windows Update install').slice(0, 480);
  for (const item of items) outcome.set(item.key, error);
  for (const res of parsed?.results ?? []) if (outcome.has(res.key)) outcome.set(res.key, res.error);
  return { outcome, rebootRequired: parsed?.rebootRequired ?? false };
}
