import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SecurityState } from '../../protocol/device-state';
import {
  firewalldRunning, nftFiltersInput, parseAptCheck, parseAptSimulate, parseDnfCheckUpdate, rootEncryption, ufwActive,
} from '../src/parsers/linux-security';
import { parseFdesetup, parseSocketFilterFw, parseSoftwareUpdateList } from '../src/parsers/macos-security';
import { parseBitLocker, parseSecurityCenterAv, parseWindowsSecurity } from '../src/parsers/windows-security';
import { fixture, fixtureJson } from './helpers/fixtures';

describe('Linux security parsers', () => {
  it('counts a firewall only when something filters incoming traffic', () => {
    expect(nftFiltersInput(fixture('nft-ruleset-input.txt'))).toBe(true);
    // Docker's NAT and forward chains do not protect the host.
    expect(nftFiltersInput(fixture('nft-ruleset-docker-only.txt'))).toBe(false);
    expect(nftFiltersInput('')).toBe(false);
    expect(ufwActive(fixture('ufw-status-active.txt'))).toBe(true);
    expect(ufwActive('Status: inactive\n')).toBe(false);
    expect(ufwActive('ERROR: You need to be root to run this script')).toBeNull();
    expect(firewalldRunning('running\n')).toBe(true);
    expect(firewalldRunning('not running\n')).toBe(false);
  });

  it('finds whether the root filesystem sits on LUKS', () => {
    expect(rootEncryption(fixture('lsblk-luks.json'))).toEqual({
      encrypted: true,
      detail: 'root filesystem on LUKS (nvme0n1 → nvme0n1p3 → nvme0n1p3_crypt → vg-root)',
    });
    expect(rootEncryption(fixture('lsblk-data-encrypted.json'))).toEqual({
      encrypted: false,
      detail: 'root filesystem on sda1 is not encrypted (1 other encrypted device(s))',
    });
    expect(rootEncryption(fixture('lsblk-container.json'))).toMatchObject({ encrypted: false });
    expect(rootEncryption(fixture('lsblk-overlay.json')).encrypted).toBeNull();
    expect(rootEncryption('lsblk: unknown column').encrypted).toBeNull();
  });

  it('counts pending and security updates (a real apt-get -s upgrade from Debian 12)', () => {
    expect(parseAptSimulate(fixture('apt-get-s-upgrade.txt'))).toEqual({ pending: 121, security: 74 });
    expect(parseAptSimulate('Reading package lists...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n')).toEqual({ pending: 0, security: 0 });
    expect(parseAptCheck(fixture('apt-check.txt'))).toEqual({ pending: 14, security: 6 });
    expect(parseDnfCheckUpdate(fixture('dnf-check-update.txt'), 100)).toBe(4);
    expect(parseDnfCheckUpdate('', 0)).toBe(0);
    expect(parseDnfCheckUpdate('Error: Failed to download metadata', 1)).toBeNull();
  });
});

describe('Windows security parsers', () => {
  it('reads a Defender machine with BitLocker, all firewall profiles on and a pending reboot', () => {
    const s = parseWindowsSecurity(fixtureJson('windows-security-defender.json'));
    expect(v.is(SecurityState, s)).toBe(true);
    expect(s).toEqual({
      firewallEnabled: true,
      antivirus: { present: true, name: 'Microsoft Defender Antivirus', enabled: true, upToDate: true },
      diskEncryption: { encrypted: true, detail: 'BitLocker on C:: FullyEncrypted, protection On' },
      pendingUpdates: 3,
      securityUpdates: 1,
      rebootRequired: true,
    });
  });

  it('prefers the active third-party antivirus, and treats suspended BitLocker and one profile off as off', () => {
    const s = parseWindowsSecurity(fixtureJson('windows-security-thirdparty.json'));
    expect(s.antivirus).toEqual({ present: true, name: 'Sophos Anti-Virus', enabled: true, upToDate: true });
    expect(s.firewallEnabled).toBe(false);
    expect(s.diskEncryption.encrypted).toBe(false);
    expect(s.pendingUpdates).toBe(0);
    expect(s.rebootRequired).toBe(false);
  });

  it('falls back to Defender on Server (no Security Center) and leaves unknowns null', () => {
    const s = parseWindowsSecurity(fixtureJson('windows-security-server.json'));
    // 12-day-old signatures with no explicit flag are stale.
    expect(s.antivirus).toMatchObject({ present: true, enabled: true, upToDate: false });
    expect(s.firewallEnabled).toBe(true);
    expect(s.diskEncryption.encrypted).toBeNull();
    expect(s.pendingUpdates).toBeNull();
  });

  it('decodes Security Center product states and numeric BitLocker enums', () => {
    expect(parseSecurityCenterAv(fixtureJson('windows-securitycenter-outdated.json'))).toEqual([{ name: 'ESET Security', enabled: true, upToDate: false }]);
    expect(parseSecurityCenterAv([])).toEqual([]);
    expect(parseWindowsSecurity({ av: [], mp: null }).antivirus.present).toBe(false);
    expect(parseBitLocker({ MountPoint: 'C:', VolumeStatus: 2, ProtectionStatus: 0, EncryptionPercentage: 37.5 })).toEqual({
      encrypted: false,
      detail: 'BitLocker on C:: EncryptionInProgress (37.5%), protection Off',
    });
  });
});

describe('macOS security parsers', () => {
  it('reads the application firewall and FileVault', () => {
    expect(parseSocketFilterFw(fixture('socketfilterfw-enabled.txt'))).toBe(true);
    expect(parseSocketFilterFw(fixture('socketfilterfw-blocking.txt'))).toBe(true);
    expect(parseSocketFilterFw(fixture('socketfilterfw-disabled.txt'))).toBe(false);
    expect(parseSocketFilterFw('')).toBeNull();
    expect(parseFdesetup(fixture('fdesetup-on.txt'))).toEqual({ encrypted: true, detail: 'FileVault is On.' });
    expect(parseFdesetup(fixture('fdesetup-off.txt')).encrypted).toBe(false);
    expect(parseFdesetup(fixture('fdesetup-encrypting.txt')).encrypted).toBe(false);
  });

  it('counts software updates, security ones and those needing a restart', () => {
    expect(parseSoftwareUpdateList(fixture('softwareupdate-list.txt'))).toEqual({ pending: 4, security: 1, restart: 2 });
    expect(parseSoftwareUpdateList(fixture('softwareupdate-legacy.txt'))).toEqual({ pending: 2, security: 1, restart: 1 });
    expect(parseSoftwareUpdateList(fixture('softwareupdate-none.txt'))).toEqual({ pending: 0, security: 0, restart: 0 });
    expect(parseSoftwareUpdateList('Software Update Tool\n\nCould not connect to the server.')).toBeNull();
  });
});
