import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SoftwareItem } from '../../protocol/inventory';
import { parseWindowsUninstall, registryDate } from '../src/parsers/software-windows-registry';
import { chocoMajor, parseChocoList, parseWingetExport } from '../src/parsers/software-winget-choco';
import { parsePsJson } from '../src/powershell';
import { fixture, fixtureJson } from './helpers/fixtures';

const find = (items: SoftwareItem[], name: string, arch: string | null = null) => items.find((i) => i.name === name && i.arch === arch);

describe('Windows uninstall registry', () => {
  const items = parseWindowsUninstall(parsePsJson(fixture('software/windows-uninstall.json')));

  it('reads name, version, publisher, install date and size', () => {
    expect(items.every((i) => v.is(SoftwareItem, i))).toBe(true);
    expect(find(items, 'Google Chrome')).toEqual({
      name: 'Google Chrome',
      version: '124.0.6367.61',
      publisher: 'Google LLC',
      installedAt: Date.UTC(2024, 3, 16),
      sizeBytes: 112345 * 1024,
      source: 'windows_registry',
      arch: null,
    });
    expect(find(items, '7-Zip 23.01 (x64)')).toMatchObject({ installedAt: null, sizeBytes: 5871 * 1024 });
  });

  it('skips system components, updates and hotfixes', () => {
    expect(items.some((i) => i.name.includes('Minimum Runtime'))).toBe(false);
    expect(items.some((i) => i.name.startsWith('Update for'))).toBe(false);
    expect(items.some((i) => i.name.startsWith('Security Update'))).toBe(false);
  });

  it('keeps a product once per registry view', () => {
    expect(find(items, 'Mozilla Maintenance Service')).toBeDefined();
    expect(find(items, 'Mozilla Maintenance Service', 'x86')).toBeDefined();
    expect(items.filter((i) => i.name === 'Microsoft Edge')).toHaveLength(1);
    expect(items).toHaveLength(9);
  });

  it('tolerates entries without a version, odd dates, negative sizes and endless names', () => {
    expect(find(items, 'Prüfprogramm für Lohnsteuer – Ausgabe 2024 ✓')).toMatchObject({
      version: '',
      publisher: 'Finanzverwaltung Baden-Württemberg',
      installedAt: null,
      sizeBytes: null,
    });
    const cad = items.find((i) => i.name.startsWith('Legacy CAD Viewer'))!;
    expect(cad.name).toHaveLength(255);
    expect(cad).toMatchObject({ publisher: null, installedAt: null, sizeBytes: 1024 * 1024 });
    expect(find(items, 'Zoom Workplace')).toMatchObject({ installedAt: Date.UTC(2024, 3, 1), version: '6.0.2 (37880)' });
  });

  it('reads yyyymmdd and nothing else as an install date', () => {
    expect(registryDate('20240229')).toBe(Date.UTC(2024, 1, 29));
    expect(registryDate('20230229')).toBeNull();
    expect(registryDate('2024-02-29')).toBeNull();
    expect(registryDate(20240101)).toBe(Date.UTC(2024, 0, 1));
  });

  it('reads a single entry and entries without a display name', () => {
    expect(parseWindowsUninstall(parsePsJson('{"DisplayName":"Only One","View":"user"}')).map((i) => i.name)).toEqual(['Only One']);
    expect(parseWindowsUninstall([{ DisplayVersion: '1.0', View: 'machine' }])).toEqual([]);
    expect(parseWindowsUninstall(parsePsJson(''))).toEqual([]);
  });
});

describe('winget', () => {
  it('reads every source of the export file once per package', () => {
    const items = parseWingetExport(fixtureJson('software/winget-export.json'));
    expect(items.every((i) => v.is(SoftwareItem, i))).toBe(true);
    expect(items.map((i) => [i.name, i.version])).toEqual([
      ['Git.Git', '2.44.0'],
      ['Microsoft.VisualStudioCode', '1.88.1'],
      ['7zip.7zip', '23.01'],
      ['Notepad++.Notepad++', ''],
      ['9WZDNCRFJ3TJ', ''],
    ]);
    expect(items[0]).toMatchObject({ source: 'winget', publisher: null, arch: null });
  });
});

describe('Chocolatey', () => {
  it('reads the plain list without its banner and summary', () => {
    const items = parseChocoList(fixture('software/choco-list.txt'));
    expect(items.every((i) => v.is(SoftwareItem, i))).toBe(true);
    expect(items).toHaveLength(7);
    expect(items[0]).toEqual({ name: '7zip', version: '23.1.0', publisher: null, installedAt: null, sizeBytes: null, source: 'choco', arch: null });
    expect(items.map((i) => i.name)).not.toContain('Chocolatey');
    expect(items.find((i) => i.name === 'notepadplusplus.install')?.version).toBe('8.6.5');
  });

  it('reads the pipe-separated form', () => {
    const items = parseChocoList(fixture('software/choco-list-r.txt'));
    expect(items.map((i) => `${i.name}=${i.version}`)).toEqual(['7zip=23.1.0', '7zip.install=23.1.0', 'chocolatey=2.2.2', 'git=2.44.0', 'vlc=3.0.20']);
  });

  it('knows which versions still list the remote feed by default', () => {
    expect(chocoMajor('1.4.0\r\n')).toBe(1);
    expect(chocoMajor('2.2.2')).toBe(2);
    expect(chocoMajor('not chocolatey')).toBeNull();
  });
});
