import type { PatchesFrame } from '../../../protocol/agent-frames';
import type { PatchScan } from '../../../protocol/patches';
import { FRAME_BUDGET_BYTES, frameBytes } from '../frame-guard';
import { rankItems } from './rank';

/*
 * A scan travels in one frame (it replaces the last one on the server). A machine years
 * behind can list more than fits: the least severe updates are left out and the scan says
 * how many, so the dashboard never shows a partial list as complete.
 */

export function patchesFrame(scan: PatchScan, budget = FRAME_BUDGET_BYTES): Omit<PatchesFrame, 'fid'> {
  // Room for the fid the outbox assigns.
  const wrap = (s: PatchScan): Omit<PatchesFrame, 'fid'> => ({ t: 'patches', scan: s });
  const size = (s: PatchScan) => frameBytes({ ...wrap(s), fid: Number.MAX_SAFE_INTEGER });
  if (size(scan) <= budget) return wrap(scan);
  const ranked = rankItems(scan.items);
  const errors = scan.errors.slice(0, 9);
  const note = (n: number) => `${n} more updates not listed (frame limit)`;
  const base = size({ ...scan, items: [], errors: [...errors, note(ranked.length)] });
  let bytes = base;
  let kept = 0;
  for (const item of ranked) {
    const add = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (bytes + add > budget) break;
    bytes += add;
    kept++;
  }
  return wrap({ ...scan, items: ranked.slice(0, kept), errors: [...errors, note(ranked.length - kept)] });
}
