import * as v from 'valibot';
import { InstallPatchesResult, type InstallPatchesParams, type PatchItem, type PatchScan, type PatchSource } from '../../../protocol/patches';
import { describeError, log } from '../log';
import { aptPlan } from './apt';
import { installInBatches, type Invocation } from './batch';
import type { InstallOutcome, PatchContext } from './context';
import { dnfPlan } from './dnf';
import { brewPlan, softwareUpdatePlan } from './macos';
import type { RebootPlanner } from './reboot';
import { platformSources } from './scan';
import { installWua } from './wua';

/*
 * install_patches: what is installed is what the server approved AND a fresh scan still
 * finds missing, at the scanned version. A second scan afterwards decides each key: the
 * package tool's exit code alone can claim success for an update that did not land.
 */

export interface InstallDeps {
  ctx: PatchContext;
  scan(): Promise<PatchScan>;
  reboot: RebootPlanner;
  stopped(): boolean;
  now?: () => number;
}

export interface InstallRun {
  result: InstallPatchesResult;
  /** The scan after installing (sent as the device's new patch list). */
  after: PatchScan;
  /** Why the command failed: a key that failed, or a reboot that could not be scheduled. */
  error: string | null;
}

const PLANS: Partial<Record<PatchSource, (ctx: PatchContext, items: readonly PatchItem[]) => Invocation[]>> = {
  apt: aptPlan,
  dnf: dnfPlan,
  brew: brewPlan,
  softwareupdate: softwareUpdatePlan,
};

const sourceOf = (key: string) => key.slice(0, key.indexOf(':')) as PatchSource;

export async function installPatches(p: InstallPatchesParams, d: InstallDeps): Promise<InstallRun> {
  const now = d.now ?? Date.now;
  const deadline = now() + p.timeoutSeconds * 1000;
  const before = await d.scan();
  const wanted = [...new Set(p.keys)];
  const present = new Map(before.items.map((i) => [i.key, i]));
  const here = new Set(platformSources(d.ctx).map((s) => s.source));
  const failed: InstallPatchesResult['failed'] = [];
  const chosen: PatchItem[] = [];
  let notApplicable = 0;
  for (const key of wanted) {
    const item = present.get(key);
    const source = sourceOf(key);
    if (item) chosen.push(item);
    else if (here.has(source) && !before.sources.includes(source)) {
      // The source could not be read: whether this update is missing is unknown.
      failed.push({ key, error: (before.errors.find((e) => e.startsWith(`${source}:`)) ?? `${source} could not be scanned`).slice(0, 500) });
    } else notApplicable++;
  }

  const outcome: InstallOutcome = new Map();
  let wuaReboot = false;
  for (const source of new Set(chosen.map((i) => i.source))) {
    const items = chosen.filter((i) => i.source === source);
    log.info(`install_patches: ${items.length} ${source} update(s)`);
    try {
      if (source === 'wua') {
        const w = await installWua(d.ctx, items, Math.max(1000, deadline - now()));
        w.outcome.forEach((e, k) => outcome.set(k, e));
        wuaReboot ||= w.rebootRequired;
      } else {
        const plan = PLANS[source]!;
        const done = await installInBatches(items, (group) => plan(d.ctx, group), deadline, d.stopped, now);
        done.forEach((e, k) => outcome.set(k, e));
      }
    } catch (err) {
      for (const i of items) outcome.set(i.key, describeError(err).slice(0, 480));
    }
  }

  const after = chosen.length ? await d.scan() : before;
  const stillMissing = new Set(after.items.map((i) => i.key));
  const installed: PatchItem[] = [];
  for (const item of chosen) {
    const error = outcome.has(item.key) ? outcome.get(item.key)! : 'not attempted';
    const known = after.sources.includes(item.source);
    const gone = known && !stillMissing.has(item.key);
    if (gone || (error === null && !known)) installed.push(item);
    else failed.push({ key: item.key, error: error ?? 'the update is still missing after installing it' });
  }

  const rebootRequired = installed.some((i) => i.rebootRequired) || after.rebootPending || wuaReboot;
  const wantsReboot = p.reboot === 'always' || (p.reboot === 'if_needed' && rebootRequired);
  let rebootAt: number | null = null;
  let rebootError: string | null = null;
  if (wantsReboot && !d.stopped()) {
    try {
      rebootAt = await d.reboot.schedule({ noticeMinutes: p.noticeMinutes, maxDeferrals: p.maxDeferrals, message: p.message });
    } catch (err) {
      rebootError = `the reboot could not be scheduled: ${describeError(err)}`;
    }
  }
  const result = v.parse(InstallPatchesResult, { installed: installed.map((i) => i.key), failed, notApplicable, rebootRequired, rebootAt });
  const problems = [...(failed.length ? [`${failed.length} update(s) failed: ${failed.map((f) => f.key).slice(0, 5).join(', ')}${failed.length > 5 ? ', …' : ''}`] : []), ...(rebootError ? [rebootError] : [])];
  return { result, after, error: problems.length ? problems.join('; ') : null };
}
