import type { PatchItem } from '../../../protocol/patches';
import { patchKey } from '../../../protocol/patches';
import { asArray, asRecord, psString } from '../powershell';
import { patchItem, uniqueItems } from './patches-item';

/*
 * `brew outdated --json=v2`: {"formulae": [{name, installed_versions, current_version,
 * pinned}], "casks": [{name, installed_versions, current_version}]}. A pinned formula is
 * held back on purpose and `brew upgrade` would skip it, so it is not offered. Homebrew
 * names neither severity nor security content.
 */

export const BREW_NAME = /^[A-Za-z0-9][A-Za-z0-9@+._/-]*$/;

export function parseBrewOutdated(json: unknown): PatchItem[] {
  const doc = asRecord(json);
  const entries = [...asArray(doc?.formulae).map((f) => ({ f, cask: false })), ...asArray(doc?.casks).map((f) => ({ f, cask: true }))];
  return uniqueItems(
    entries.map(({ f, cask }) => {
      if (f.pinned === true) return null;
      const name = psString(f.name, 300);
      const current = psString(f.current_version, 100);
      if (!name || !current || !BREW_NAME.test(name)) return null;
      const listed: unknown[] = Array.isArray(f.installed_versions) ? f.installed_versions : [f.installed_versions];
      const versions = listed.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
      return patchItem({
        key: patchKey('brew', name, current),
        source: 'brew',
        name,
        title: `${name} ${current}${cask ? ' (cask)' : ''}`,
        installedVersion: versions[versions.length - 1] ?? null,
        availableVersion: current,
        classification: 'enhancement',
      });
    }),
  );
}
