import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { PatchItem } from '../../protocol/patches';
import { parseAptSimulation } from '../src/parsers/patches-apt';
import { parseBrewOutdated } from '../src/parsers/patches-brew';
import { dnfPatchItems, parseDnfCheckUpdateList, parseDnfUpdateinfoInfo, parseDnfUpdateinfoList } from '../src/parsers/patches-dnf';
import { patchItem } from '../src/parsers/patches-item';
import { parseSoftwareUpdatePatches } from '../src/parsers/patches-softwareupdate';
import { parseWuaInstall, parseWuaScan } from '../src/parsers/patches-wua';
import { fixture, fixtureJson } from './helpers/fixtures';

const valid = (items: PatchItem[]) => {
  for (const item of items) expect(v.safeParse(PatchItem, item).success).toBe(true);
  return items;
};
const byKey = (items: PatchItem[]) => new Map(items.map((i) => [i.key, i]));

describe('apt-get -s dist-upgrade', () => {
  it('lists Debian upgrades, security ones by their -security origin, and skips what is not an Inst line', () => {
    const items = valid(parseAptSimulation(fixture('patches/apt-dist-upgrade-debian.txt')));
    expect(items.map((i) => i.key)).toEqual([
      'apt:base-files@12.4+deb12u15',
      'apt:bash@5.2.15-2+b13',
      'apt:libgcrypt20@1.10.1-3+deb12u1',
      'apt:libssl3@3.0.22-1~deb12u2',
      'apt:tzdata@2026f-0+deb12u1',
      'apt:openssl@3.0.22-1~deb12u2',
      'apt:linux-image-6.1.0-28-amd64@6.1.119-1',
    ]);
    const m = byKey(items);
    expect(m.get('apt:bash@5.2.15-2+b13')).toMatchObject({ source: 'apt', name: 'bash', installedVersion: '5.2.15-2+b8', availableVersion: '5.2.15-2+b13', classification: 'bugfix', severity: 'unknown', rebootRequired: false, advisory: null, cves: [] });
    // Offered by both the point release and the security suite: a security update.
    expect(m.get('apt:libgcrypt20@1.10.1-3+deb12u1')).toMatchObject({ classification: 'security', title: 'libgcrypt20 1.10.1-3+deb12u1 (Debian:12.15/oldstable, Debian-Security:12/oldstable-security) [amd64]' });
    expect(m.get('apt:openssl@3.0.22-1~deb12u2')!.classification).toBe('security');
    // Newly installed by dist-upgrade: nothing installed yet, and a kernel needs a reboot.
    expect(m.get('apt:linux-image-6.1.0-28-amd64@6.1.119-1')).toMatchObject({ installedVersion: null, classification: 'security', rebootRequired: true });
  });

  it('reads Ubuntu origins (jammy-security) the same way', () => {
    const items = valid(parseAptSimulation(fixture('patches/apt-dist-upgrade-ubuntu.txt')));
    expect(items.map((i) => [i.name, i.classification])).toEqual([
      ['libssl3', 'security'],
      ['openssl', 'security'],
      ['python3-urllib3', 'bugfix'],
      ['snapd', 'bugfix'],
    ]);
  });
});

describe('dnf', () => {
  const rows = parseDnfUpdateinfoList(fixture('patches/dnf-updateinfo-list.txt'));
  const available = parseDnfCheckUpdateList(fixture('patches/dnf-check-update.txt'));
  const info = parseDnfUpdateinfoInfo(fixture('patches/dnf-updateinfo-info.txt'));

  it('reads advisories with severities, epochs and the check-update list without obsoletes', () => {
    expect(rows).toHaveLength(8);
    expect(rows[2]).toEqual({ id: 'RHSA-2024:3501', classification: 'security', severity: 'moderate', pkg: { name: 'openssl-libs', arch: 'x86_64', evr: '1:3.0.7-27.el9' } });
    expect(rows[7]).toMatchObject({ id: 'RHEA-2024:2802', classification: 'enhancement', severity: 'unknown' });
    expect(available.map((n) => `${n.name}.${n.arch}@${n.evr}`)).toContain('vim-minimal.x86_64@2:8.2.2637-20.el9_1');
    expect(available.some((n) => n.name === 'grub2-tools')).toBe(false);
    expect(info.get('RHSA-2024:2758')).toEqual({ cves: ['CVE-2024-1086', 'CVE-2023-52439'], issuedAt: Date.parse('2024-05-08T10:21:15Z') });
    expect(info.get('RHSA-2024:4000')!.cves).toEqual(['CVE-2024-2961']);
  });

  it('joins them: the worst advisory rates a package, packages without one are listed too', () => {
    const items = valid(dnfPatchItems(available, rows, info));
    const m = byKey(items);
    expect(items).toHaveLength(9);
    expect(m.get('dnf:kernel.x86_64@5.14.0-427.16.1.el9_4')).toMatchObject({ name: 'kernel.x86_64', classification: 'security', severity: 'important', advisory: 'RHSA-2024:2758', rebootRequired: true, cves: ['CVE-2024-1086', 'CVE-2023-52439'] });
    // A security and a bugfix advisory for the same build: security wins.
    expect(m.get('dnf:openssl-libs.x86_64@1:3.0.7-27.el9')).toMatchObject({ classification: 'security', severity: 'moderate', advisory: 'RHSA-2024:3501', cves: ['CVE-2024-2511', 'CVE-2024-4603'] });
    expect(m.get('dnf:glibc.x86_64@2.34-100.el9_4.2')).toMatchObject({ severity: 'critical', releasedAt: Date.parse('2024-06-20T00:00:00Z') });
    expect(m.get('dnf:tzdata.noarch@2024a-2.el9')).toMatchObject({ classification: 'bugfix', severity: 'unknown' });
    expect(m.get('dnf:htop.x86_64@3.3.0-1.el9')).toMatchObject({ classification: 'other', severity: 'unknown', advisory: null });
    expect(m.get('dnf:vim-minimal.x86_64@2:8.2.2637-20.el9_1')).toBeDefined();
  });

  it('reads dnf 5 listings with their severity column', () => {
    const dnf5 = parseDnfUpdateinfoList(fixture('patches/dnf5-updateinfo-list.txt'));
    expect(dnf5).toEqual([
      { id: 'FEDORA-2024-0f4b0b1c09', classification: 'security', severity: 'moderate', pkg: { name: 'curl', arch: 'x86_64', evr: '8.6.0-8.fc40' } },
      { id: 'FEDORA-2024-7c6fa0b4c2', classification: 'enhancement', severity: 'unknown', pkg: { name: 'python3-dnf', arch: 'noarch', evr: '4.19.2-1.fc40' } },
    ]);
  });
});

describe('softwareupdate -l', () => {
  it('tells a macOS upgrade from an update, finds security responses and restarts (macOS 12+ format)', () => {
    const items = valid(parseSoftwareUpdatePatches(fixture('patches/softwareupdate-list.txt'), 14));
    const m = byKey(items);
    expect(items).toHaveLength(5);
    expect(m.get('softwareupdate:macOS Sequoia 15.1-24B83')).toMatchObject({ name: 'macOS Sequoia 15.1', availableVersion: '15.1', classification: 'os_upgrade', rebootRequired: true, sizeBytes: 6876544 * 1024 });
    expect(m.get('softwareupdate:macOS Sonoma 14.7.1-23H222')).toMatchObject({ classification: 'update_rollup', rebootRequired: true });
    expect(m.get('softwareupdate:Background Security Improvement 14.7.1 (a)-23H222a')).toMatchObject({ classification: 'security', rebootRequired: true });
    expect(m.get('softwareupdate:Safari18.1Sonoma-18.1')).toMatchObject({ name: 'Safari', title: 'Safari 18.1', classification: 'bugfix', rebootRequired: false, sizeBytes: 150784 * 1024 });
  });

  it('reads the pre-Catalina format', () => {
    const items = valid(parseSoftwareUpdatePatches(fixture('patches/softwareupdate-legacy.txt'), 10));
    expect(items.map((i) => [i.key, i.classification, i.rebootRequired, i.availableVersion])).toEqual([
      ['softwareupdate:Security Update 2019-004-10.13.6', 'security', true, '10.13.6'],
      ['softwareupdate:Safari12.1.2HighSierraAuto-12.1.2', 'bugfix', false, '12.1.2'],
    ]);
  });

  it('finds nothing when nothing is offered', () => {
    expect(parseSoftwareUpdatePatches('Software Update Tool\n\nFinding available software\nNo new software available.\n', 14)).toEqual([]);
  });
});

describe('brew outdated --json=v2', () => {
  it('lists formulae and casks, skips pinned ones and names that would pass for options', () => {
    const items = valid(parseBrewOutdated(fixtureJson('patches/brew-outdated.json')));
    expect(items.map((i) => [i.key, i.installedVersion, i.classification, i.severity])).toEqual([
      ['brew:openssl@3@3.3.2', '3.3.1', 'enhancement', 'unknown'],
      ['brew:node@23.1.0', '22.4.1', 'enhancement', 'unknown'],
      ['brew:firefox@132.0.1', '131.0', 'enhancement', 'unknown'],
      ['brew:visual-studio-code@1.95.1', '1.94.2', 'enhancement', 'unknown'],
    ]);
    expect(items[2].title).toBe('firefox 132.0.1 (cask)');
  });
});

describe('Windows Update Agent', () => {
  it('maps categories and MSRC severity, keys by KB or update id, keeps CVEs, sizes and dates', () => {
    const { items, rebootRequired } = parseWuaScan(fixtureJson('patches/wua-scan.json'));
    valid(items);
    expect(rebootRequired).toBe(false);
    expect(items.map((i) => [i.key, i.classification, i.severity])).toEqual([
      ['wua:KB5046633', 'security', 'critical'],
      ['wua:KB2267602', 'definition', 'unknown'],
      ['wua:8f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b', 'driver', 'unknown'],
      ['wua:KB5045935', 'bugfix', 'important'],
      ['wua:11111111-2222-3333-4444-555555555555', 'os_upgrade', 'unknown'],
    ]);
    expect(items[0]).toMatchObject({ advisory: 'KB5046633', cves: ['CVE-2024-43451', 'CVE-2024-49039'], rebootRequired: true, sizeBytes: 892135424, releasedAt: Date.parse('2024-11-12T00:00:00Z') });
    // PowerShell turns one-element arrays into scalars.
    expect(items[3]).toMatchObject({ advisory: 'KB5045935', cves: ['CVE-2024-43499'] });
  });

  it('reads the install script’s per-key results', () => {
    expect(parseWuaInstall(fixtureJson('patches/wua-install.json'))).toEqual({
      rebootRequired: true,
      results: [
        { key: 'wua:KB5046633', ok: true, error: null },
        { key: 'wua:KB5045935', ok: false, error: 'Windows Update result code 4 (0x80240017)' },
      ],
    });
  });
});

describe('patch items', () => {
  it('cuts text to the schema limits and drops what cannot be a valid item', () => {
    const long = patchItem({ key: 'apt:x@1', source: 'apt', name: `x${'y'.repeat(400)}\n`, title: 't'.repeat(900), classification: 'bugfix', availableVersion: '1'.repeat(150) });
    expect(long).toMatchObject({ name: `x${'y'.repeat(299)}`, title: 't'.repeat(500), availableVersion: '1'.repeat(100) });
    expect(patchItem({ key: `apt:${'k'.repeat(400)}`, source: 'apt', name: 'k', classification: 'bugfix' })).toBeNull();
    expect(patchItem({ key: 'nope:x', source: 'apt', name: 'x', classification: 'bugfix' })).toBeNull();
  });
});
