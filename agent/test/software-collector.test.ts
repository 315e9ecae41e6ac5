import { execFileSync } from 'node:child_process';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SoftwareItem } from '../../protocol/inventory';
import { collectSoftware } from '../src/inventory/software';

const dpkgQuery = (format: string, ...names: string[]) => execFileSync('dpkg-query', ['-W', '-f', format, ...names], { encoding: 'utf8' });

// Runs the real collector against this machine's package database.
describe('software on this machine', () => {
  it('finds every installed dpkg package with its version, size and install time', async () => {
    const started = performance.now();
    const items = await collectSoftware('linux');
    const elapsed = performance.now() - started;
    expect(items.every((i) => v.is(SoftwareItem, i))).toBe(true);

    const deb = items.filter((i) => i.source === 'dpkg');
    // Installed means the state letter (second) is "i", whatever is wanted next (hold, remove).
    const installed = dpkgQuery('${db:Status-Abbrev}\\n').split('\n').filter((s) => s[1] === 'i');
    expect(deb).toHaveLength(installed.length);
    const ii = dpkgQuery('${db:Status-Abbrev}\\t${Package}\\t${Architecture}\\n').split('\n').filter((l) => l.startsWith('ii'));
    expect(ii.length).toBeGreaterThan(0);
    for (const [, name, arch] of ii.map((l) => l.split('\t'))) expect(deb.some((i) => i.name === name && i.arch === arch)).toBe(true);
    // Every installed package has a file list, multi-arch ones under their qualified name.
    expect(deb.filter((i) => i.installedAt === null)).toEqual([]);

    for (const name of ['dpkg', 'bash']) {
      const item = deb.find((i) => i.name === name);
      expect(item?.version).toBe(dpkgQuery('${Version}', name));
      expect(item?.sizeBytes).toBe(Number(dpkgQuery('${Installed-Size}', name)) * 1024);
      expect(item?.installedAt).toBeGreaterThan(Date.UTC(2000, 0, 1));
    }
    // The whole collection (dpkg plus the probes for rpm, snap and flatpak) stays interactive.
    expect(elapsed).toBeLessThan(5000);
  });
});
