import * as v from 'valibot';

/*
 * Patch management as agent and server both see it. The agent scans its package manager /
 * Windows Update for what is missing and reports the whole list (a scan replaces the last);
 * approval decides what `install_patches` may install. A patch's `key` names one update at
 * one version, so approving "openssl 3.0.15-1~deb12u1" does not approve the next release.
 */

export const PatchSource = v.picklist(['apt', 'dnf', 'softwareupdate', 'brew', 'wua']);
export type PatchSource = v.InferOutput<typeof PatchSource>;

/** Windows Update's classifications, and the Linux/macOS ones mapped onto them. */
export const PatchClassification = v.picklist(['security', 'critical', 'update_rollup', 'feature_pack', 'driver', 'definition', 'bugfix', 'enhancement', 'os_upgrade', 'other']);
export type PatchClassification = v.InferOutput<typeof PatchClassification>;

export const PatchSeverity = v.picklist(['critical', 'important', 'moderate', 'low', 'unknown']);
export type PatchSeverity = v.InferOutput<typeof PatchSeverity>;
export const SEVERITY_RANK: Record<PatchSeverity, number> = { critical: 4, important: 3, moderate: 2, low: 1, unknown: 0 };

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** `apt:openssl@3.0.15-1~deb12u1`, `wua:KB5031356`, `softwareupdate:macOS Sonoma 14.7.1-23H222`. */
export const PatchKey = v.pipe(v.string(), v.minLength(3), v.maxLength(300), v.regex(/^(apt|dnf|softwareupdate|brew|wua):[^\0\r\n]+$/, 'not a patch key'));
export type PatchKey = v.InferOutput<typeof PatchKey>;

export function patchKey(source: PatchSource, name: string, version: string | null): string {
  return `${source}:${name}${version ? `@${version}` : ''}`;
}

export const PatchItem = v.object({
  key: PatchKey,
  source: PatchSource,
  /** Package name, or the update's title for softwareupdate / Windows Update. */
  name: text(300),
  title: text(500),
  installedVersion: v.nullable(text(100)),
  availableVersion: v.nullable(text(100)),
  classification: PatchClassification,
  severity: PatchSeverity,
  /** CVE ids where the source names them. */
  cves: v.pipe(v.array(v.pipe(v.string(), v.regex(/^CVE-\d{4}-\d{4,}$/))), v.maxLength(200)),
  /** KB article (Windows) or advisory id (dnf: RHSA/FEDORA-…; apt: DSA/USN when known). */
  advisory: v.nullable(text(100)),
  rebootRequired: v.boolean(),
  sizeBytes: v.nullable(v.number()),
  releasedAt: v.nullable(v.number()),
});
export type PatchItem = v.InferOutput<typeof PatchItem>;

export const MAX_PATCHES_PER_SCAN = 2000;

/** scan_patches output, and the body of the `patches` frame. */
export const PatchScan = v.object({
  scannedAt: v.number(),
  sources: v.pipe(v.array(PatchSource), v.maxLength(5)),
  items: v.pipe(v.array(PatchItem), v.maxLength(MAX_PATCHES_PER_SCAN)),
  /** A source that could not be read (e.g. "apt: lock held"): its patches are unknown, not absent. */
  errors: v.pipe(v.array(text(500)), v.maxLength(10)),
  /** The OS says a reboot is pending (e.g. /var/run/reboot-required). */
  rebootPending: v.boolean(),
});
export type PatchScan = v.InferOutput<typeof PatchScan>;

export const RebootPolicy = v.picklist(['never', 'if_needed', 'always']);
export type RebootPolicy = v.InferOutput<typeof RebootPolicy>;

/**
 * install_patches: install the missing updates whose key is listed (the server lists what is
 * approved), then reboot by policy. A reboot is announced `noticeMinutes` ahead; while a user
 * is signed in it is put off by `noticeMinutes` at a time, at most `maxDeferrals` times.
 */
export const InstallPatchesParams = v.object({
  keys: v.pipe(v.array(PatchKey), v.maxLength(5000)),
  reboot: v.optional(RebootPolicy, 'if_needed'),
  noticeMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(240)), 15),
  maxDeferrals: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)), 2),
  message: v.optional(v.pipe(v.string(), v.maxLength(300), v.regex(/^[^\0\r\n]*$/, 'one line of text')), ''),
  timeoutSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(60), v.maxValue(6 * 3600)), 3600),
});
export type InstallPatchesParams = v.InferOutput<typeof InstallPatchesParams>;

/** install_patches output. */
export const InstallPatchesResult = v.object({
  installed: v.array(PatchKey),
  failed: v.array(v.object({ key: PatchKey, error: text(500) })),
  /** Listed keys this device does not need (already current or not applicable). */
  notApplicable: v.number(),
  rebootRequired: v.boolean(),
  /** When a reboot was scheduled (ms), null when none. */
  rebootAt: v.nullable(v.number()),
});
export type InstallPatchesResult = v.InferOutput<typeof InstallPatchesResult>;
