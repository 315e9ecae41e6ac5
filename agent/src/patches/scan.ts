import * as v from 'valibot';
import { existsSync } from 'node:fs';
import { MAX_PATCHES_PER_SCAN, PatchScan, type PatchItem, type PatchSource } from '../../../protocol/patches';
import { clip } from '../parsers/patches-item';
import { scanApt } from './apt';
import { brewPath, which, type PatchContext, type SourceScan } from './context';
import { dnfRebootPending, scanDnf } from './dnf';
import { rankItems } from './rank';
import { scanBrew, scanSoftwareUpdate } from './macos';
import { scanWua } from './wua';

/*
 * One scan of every update source this machine has. A source that fails is named in
 * `errors` and left out of `sources`: its updates are unknown, not absent. `sources` lists
 * what the scan covered.
 */

type Scanner = (ctx: PatchContext) => Promise<SourceScan>;

export function platformSources(ctx: PatchContext): { source: PatchSource; scan: Scanner }[] {
  switch (ctx.platform) {
    case 'linux':
      return [
        ...(which(ctx, 'apt-get') ? [{ source: 'apt' as const, scan: scanApt }] : []),
        ...(which(ctx, 'dnf') ? [{ source: 'dnf' as const, scan: scanDnf }] : []),
      ];
    case 'darwin':
      return [{ source: 'softwareupdate', scan: scanSoftwareUpdate }, ...(brewPath(ctx) ? [{ source: 'brew' as const, scan: scanBrew }] : [])];
    case 'win32':
      return [{ source: 'wua', scan: scanWua }];
    default:
      return [];
  }
}

async function linuxRebootPending(ctx: PatchContext, sources: readonly PatchSource[]): Promise<boolean> {
  if (ctx.rebootFlags.some((f) => existsSync(f))) return true;
  return sources.includes('dnf') ? (await dnfRebootPending(ctx)) === true : false;
}

export async function scanPatches(ctx: PatchContext, now: () => number = Date.now): Promise<PatchScan> {
  const started = now();
  const found = await Promise.all(platformSources(ctx).map(async (s) => ({ source: s.source, result: await s.scan(ctx).catch((err): SourceScan => ({ ok: false, error: `${s.source}: ${String(err)}` })) })));
  const sources: PatchSource[] = [];
  const errors: string[] = [];
  let items: PatchItem[] = [];
  let osReboot = false;
  for (const { source, result } of found) {
    if (!result.ok) {
      errors.push(clip(result.error, 500));
      continue;
    }
    sources.push(source);
    items.push(...result.items);
    if (result.rebootRequired) osReboot = true;
  }
  if (!found.length) errors.push(`no update source found on this ${ctx.platform} machine`);
  if (items.length > MAX_PATCHES_PER_SCAN) {
    const extra = items.length - MAX_PATCHES_PER_SCAN;
    items = rankItems(items).slice(0, MAX_PATCHES_PER_SCAN);
    errors.push(`${extra} more updates not listed (scan limit)`);
  }
  const rebootPending =
    ctx.platform === 'linux' ? await linuxRebootPending(ctx, sources) : ctx.platform === 'darwin' ? items.some((i) => i.source === 'softwareupdate' && i.rebootRequired) : osReboot;
  return v.parse(PatchScan, { scannedAt: started, sources, items, errors: errors.slice(0, 10), rebootPending });
}
