import { SEVERITY_RANK, type PatchClassification, type PatchItem } from '../../../protocol/patches';

/** When severity ties (Linux and macOS name none), the kind of update decides what matters more. */
const CLASS_RANK: Record<PatchClassification, number> = {
  critical: 9,
  security: 8,
  definition: 7,
  update_rollup: 6,
  os_upgrade: 5,
  bugfix: 4,
  driver: 3,
  feature_pack: 2,
  enhancement: 1,
  other: 0,
};

/** Most severe first; the order is stable among equals. */
export function rankItems(items: readonly PatchItem[]): PatchItem[] {
  return [...items].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || CLASS_RANK[b.classification] - CLASS_RANK[a.classification]);
}
