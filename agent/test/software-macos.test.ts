import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SoftwareItem } from '../../protocol/inventory';
import { parseBrewInfo, parseSystemProfilerApps } from '../src/parsers/software-macos';
import { fixtureJson } from './helpers/fixtures';

const byName = (items: SoftwareItem[]) => Object.fromEntries(items.map((i) => [i.name, i]));

describe('macOS applications', () => {
  const items = parseSystemProfilerApps(fixtureJson('software/system-profiler-apps.json'));
  const apps = byName(items);

  it('names the vendor from the source or the Developer ID signature', () => {
    expect(items.every((i) => v.is(SoftwareItem, i))).toBe(true);
    expect(apps['Google Chrome']).toEqual({
      name: 'Google Chrome',
      version: '124.0.6367.61',
      publisher: 'Google LLC',
      installedAt: Date.UTC(2024, 3, 16, 19, 2, 11),
      sizeBytes: null,
      source: 'macos_app',
      arch: null,
    });
    expect(apps.Safari.publisher).toBe('Apple Inc.');
    expect(apps.Calculator.publisher).toBe('Apple Inc.');
    expect(apps['Übersicht']).toMatchObject({ version: '1.6.77', publisher: 'Felix Hageloh' });
  });

  it('leaves unknown what the App Store and unsigned bundles do not say', () => {
    expect(apps.Pages.publisher).toBeNull();
    expect(apps.homegrown).toMatchObject({ version: '', publisher: null });
  });

  it('skips the parts of macOS and keeps the first copy of an app', () => {
    expect(apps.Siri).toBeUndefined();
    expect(items.filter((i) => i.name === 'Google Chrome')).toHaveLength(1);
    expect(items).toHaveLength(6);
  });

  it('reads nothing from output that is not the report', () => {
    expect(parseSystemProfilerApps(null)).toEqual([]);
    expect(parseSystemProfilerApps({ SPApplicationsDataType: 'none' })).toEqual([]);
  });
});

describe('Homebrew', () => {
  const items = parseBrewInfo(fixtureJson('software/brew-info-installed.json'));
  const pkgs = byName(items);

  it('lists formulae at their newest installed version, with the install time', () => {
    expect(items.every((i) => v.is(SoftwareItem, i))).toBe(true);
    expect(pkgs.git).toEqual({ name: 'git', version: '2.44.0', publisher: null, installedAt: 1710433215000, sizeBytes: null, source: 'homebrew', arch: null });
    expect(pkgs['openssl@3']).toMatchObject({ version: '3.3.0', installedAt: 1713000000000 });
    expect(pkgs['hashicorp/tap/terraform']).toMatchObject({ version: '1.8.1', installedAt: null });
  });

  it('lists casks at the installed version, not the newest available', () => {
    expect(pkgs.firefox).toMatchObject({ version: '124.0.2', installedAt: 1712300000000 });
    expect(pkgs['visual-studio-code'].version).toBe('1.88.1');
    expect(items).toHaveLength(5);
  });

  it('skips formulae and casks that are known but not installed', () => {
    const doc = { formulae: [{ name: 'wget', full_name: 'wget', installed: [] }], casks: [{ token: 'zoom', installed: null }] };
    expect(parseBrewInfo(doc)).toEqual([]);
  });
});
