import { existsSync } from 'node:fs';
import { versionKey } from '../../../protocol/inventory';
import type { DetectionRule, InstallerType, PackageManifest } from '../../../protocol/packages';
import { collectSoftware } from '../inventory/software';
import { runProgram } from '../run-program';
import { DEB_NAME } from './installers/deb';
import { RPM_NAME } from './installers/rpm';

/*
 * Whether (and at which version) a package's software is on this machine, as its detection
 * rule names it. Debian and RPM packages are asked of their package database directly (the
 * inventory's name space for them); anything else is looked up in the full software inventory.
 */

/** What a file rule finds: the file says nothing about its version. */
export const PRESENT = 'present';

const DPKG_ARGS = ['-W', '-f', '${db:Status-Abbrev}\\t${Version}\\n', '--'];
const RPM_ARGS = ['-q', '--queryformat', '%{VERSION}-%{RELEASE}\\n', '--'];

/** The highest version among several (a package installed for two architectures, say). */
const newest = (versions: string[]): string | null => versions.sort((a, b) => (versionKey(a) < versionKey(b) ? 1 : -1))[0] ?? null;

/** dpkg's view; undefined when dpkg cannot say (not a dpkg system). */
async function dpkgVersion(name: string): Promise<string | null | undefined> {
  const r = await runProgram('dpkg-query', [...DPKG_ARGS, name], { timeoutMs: 60_000 });
  if (r.missing || (r.code !== 0 && r.code !== 1)) return undefined;
  // Only the state letter says what is on disk: "ii" installed, "rc" removed with its config left.
  const versions = r.stdout
    .split('\n')
    .map((l) => l.split('\t'))
    .filter(([abbrev, version]) => abbrev?.[1] === 'i' && version)
    .map(([, version]) => version.trim());
  return newest(versions);
}

async function rpmVersion(name: string): Promise<string | null | undefined> {
  const r = await runProgram('rpm', [...RPM_ARGS, name], { timeoutMs: 60_000 });
  if (r.missing) return undefined;
  if (r.code !== 0) return /is not installed/.test(r.stdout + r.stderr) ? null : undefined;
  return newest(r.stdout.split('\n').map((l) => l.trim()).filter(Boolean));
}

async function inventoryVersion(name: string): Promise<string | null> {
  const wanted = name.toLowerCase();
  const items = await collectSoftware();
  return newest(items.filter((i) => i.name.toLowerCase() === wanted).map((i) => i.version || PRESENT));
}

/** The installed version (PRESENT for a file rule), or null when absent. */
export async function installedVersion(rule: DetectionRule, installer: InstallerType): Promise<string | null> {
  if (rule.type === 'file') return existsSync(rule.path) ? PRESENT : null;
  let found: string | null | undefined;
  if ((installer === 'deb' || installer === 'apt') && DEB_NAME.test(rule.name)) found = await dpkgVersion(rule.name);
  else if ((installer === 'rpm' || installer === 'dnf') && RPM_NAME.test(rule.name)) found = await rpmVersion(rule.name);
  return found === undefined ? inventoryVersion(rule.name) : found;
}

/**
 * One version equals another as a package manager writes it: "1.2.3" is "1.2.3", also with a
 * Debian or RPM revision after it ("1.2.3-1") and with an epoch before it ("2:1.2.3-1").
 */
export function sameVersion(installed: string, wanted: string): boolean {
  if (versionKey(installed) === versionKey(wanted)) return true;
  const bare = /^\d+:/.test(wanted) ? installed : installed.replace(/^\d+:/, '');
  return bare === wanted || bare.startsWith(`${wanted}-`);
}

/** Does what was found satisfy the manifest's detection rule? */
export function detected(m: Pick<PackageManifest, 'detection' | 'version'>, found: string | null): boolean {
  if (found === null) return false;
  if (m.detection.type === 'file' || found === PRESENT) return true;
  switch (m.detection.match) {
    case 'any':
      return true;
    case 'atLeast':
      return versionKey(found) >= versionKey(m.version) || sameVersion(found, m.version);
    default:
      return sameVersion(found, m.version);
  }
}
