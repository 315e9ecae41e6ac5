import { describe, expect, it } from 'vitest';
import { OS_EOL } from './os-eol-data';
import { osEndOfLife, type EolStatus } from './os-eol';

const at = (iso: string) => Date.parse(`${iso}T12:00:00Z`);
const os = (platform: string, name: string, version: string, build: string | null = null) => ({ platform, name, version, build });

type Case = [label: string, input: ReturnType<typeof os>, now: string, product: string | null, cycle: string | null, status: EolStatus];

const cases: Case[] = [
  ['Windows 10 Pro 22H2 before its end', os('win32', 'Microsoft Windows 10 Pro', '10.0.19045', '19045.5011'), '2025-03-01', 'windows', '10 22H2', 'supported'],
  ['Windows 10 Home 22H2 in its last months', os('win32', 'Microsoft Windows 10 Home', '10.0.19045'), '2025-08-01', 'windows', '10 22H2', 'ending_soon'],
  ['Windows 10 Pro 22H2 on its last day', os('win32', 'Microsoft Windows 10 Pro', '10.0.19045'), '2025-10-14', 'windows', '10 22H2', 'ending_soon'],
  ['Windows 10 Pro 22H2 after its end, under ESU', os('win32', 'Microsoft Windows 10 Pro', '10.0.19045'), '2025-10-15', 'windows', '10 22H2', 'extended_only'],
  ['Windows 10 Pro 22H2 after ESU', os('win32', 'Microsoft Windows 10 Pro', '10.0.19045'), '2028-11-01', 'windows', '10 22H2', 'end_of_life'],
  ['Windows 10 Enterprise 21H2', os('win32', 'Microsoft Windows 10 Enterprise', '10.0.19044'), '2024-01-01', 'windows', '10 21H2', 'ending_soon'],
  ['Windows 10 Enterprise LTSC 2021', os('win32', 'Microsoft Windows 10 Enterprise LTSC', '10.0.19044'), '2024-07-01', 'windows', '10 Enterprise LTSC 2021', 'supported'],
  ['Windows 11 Pro 22H2', os('win32', 'Microsoft Windows 11 Pro', '10.0.22621'), '2024-12-01', 'windows', '11 22H2', 'end_of_life'],
  ['Windows 11 Enterprise 22H2 outlives Pro', os('win32', 'Microsoft Windows 11 Enterprise', '10.0.22621'), '2025-06-01', 'windows', '11 22H2', 'ending_soon'],
  ['Windows 11 Pro Education is serviced like Pro', os('win32', 'Microsoft Windows 11 Pro Education', '10.0.22631'), '2026-01-01', 'windows', '11 23H2', 'end_of_life'],
  ['Windows 11 Education 23H2', os('win32', 'Microsoft Windows 11 Education', '10.0.22631'), '2026-01-01', 'windows', '11 23H2', 'supported'],
  ['Windows 11 Pro 24H2', os('win32', 'Microsoft Windows 11 Pro', '10.0.26100'), '2026-12-01', 'windows', '11 24H2', 'end_of_life'],
  ['Windows 11 Enterprise 24H2', os('win32', 'Microsoft Windows 11 Enterprise', '10.0.26100'), '2026-12-01', 'windows', '11 24H2', 'supported'],
  ['Windows 11 IoT Enterprise LTSC 2024', os('win32', 'Microsoft Windows 11 IoT Enterprise LTSC', '10.0.26100'), '2026-12-01', 'windows', '11 Enterprise LTSC 2024', 'supported'],
  ['Windows 11 Home 25H2', os('win32', 'Microsoft Windows 11 Home', '10.0.26200'), '2026-12-01', 'windows', '11 25H2', 'supported'],
  ['build from the build field', os('win32', 'Microsoft Windows 11 Pro', '10.0', '22631.4317'), '2025-01-01', 'windows', '11 23H2', 'supported'],
  ['Windows Server 2012 R2', os('win32', 'Microsoft Windows Server 2012 R2 Standard', '6.3.9600'), '2026-12-01', 'windows-server', 'Server 2012 R2', 'end_of_life'],
  ['Windows Server 2016', os('win32', 'Microsoft Windows Server 2016 Datacenter', '10.0.14393'), '2026-12-01', 'windows-server', 'Server 2016', 'extended_only'],
  ['Windows Server 2019 shares its build with LTSC 2019', os('win32', 'Microsoft Windows Server 2019 Standard', '10.0.17763'), '2023-01-01', 'windows-server', 'Server 2019', 'supported'],
  ['Windows Server 2022', os('win32', 'Microsoft Windows Server 2022 Standard', '10.0.20348'), '2026-06-01', 'windows-server', 'Server 2022', 'ending_soon'],
  ['Windows Server 2025 shares its build with 11 24H2', os('win32', 'Microsoft Windows Server 2025 Datacenter', '10.0.26100'), '2026-12-01', 'windows-server', 'Server 2025', 'supported'],
  ['an Insider build', os('win32', 'Microsoft Windows 11 Pro', '10.0.27000'), '2026-12-01', 'windows', null, 'unknown'],
  ['macOS 15 while among the three newest', os('darwin', 'macOS', '15.1.1', '24B91'), '2026-12-01', 'macos', '15 Sequoia', 'supported'],
  ['macOS 13 after macOS 26 shipped', os('darwin', 'macOS', '13.7.8'), '2026-12-01', 'macos', '13 Ventura', 'end_of_life'],
  ['macOS 13 months before macOS 26', os('darwin', 'macOS', '13.6'), '2025-05-01', 'macos', '13 Ventura', 'ending_soon'],
  ['OS X 10.15', os('darwin', 'macOS', '10.15.7'), '2026-12-01', 'macos', null, 'unknown'],
  ['Ubuntu 22.04 point release', os('linux', 'Ubuntu', '22.04.4 LTS', 'jammy'), '2026-01-01', 'ubuntu', '22.04 LTS', 'supported'],
  ['Ubuntu 22.04 near standard end', os('linux', 'Ubuntu', '22.04.5 LTS (Jammy Jellyfish)', 'jammy'), '2026-12-01', 'ubuntu', '22.04 LTS', 'ending_soon'],
  ['Ubuntu 20.04 under ESM', os('linux', 'Ubuntu', '20.04.6 LTS'), '2026-12-01', 'ubuntu', '20.04 LTS', 'extended_only'],
  ['Ubuntu 24.10 interim', os('linux', 'Ubuntu', '24.10'), '2026-12-01', 'ubuntu', '24.10', 'end_of_life'],
  ['Ubuntu without a minor', os('linux', 'Ubuntu', '22'), '2026-12-01', 'ubuntu', null, 'unknown'],
  ['Debian 12', os('linux', 'Debian GNU/Linux', '12', 'bookworm'), '2025-06-01', 'debian', '12 bookworm', 'supported'],
  ['Debian 12 under LTS', os('linux', 'Debian GNU/Linux', '12'), '2026-12-01', 'debian', '12 bookworm', 'extended_only'],
  ['Debian 11 point release', os('linux', 'Debian GNU/Linux', '11.9'), '2026-12-01', 'debian', '11 bullseye', 'end_of_life'],
  ['Rocky Linux 9.3', os('linux', 'Rocky Linux', '9.3', 'Blue Onyx'), '2026-12-01', 'rocky', '9', 'supported'],
  ['AlmaLinux 8.10', os('linux', 'AlmaLinux', '8.10'), '2026-12-01', 'alma', '8', 'supported'],
  ['RHEL 7 under ELS', os('linux', 'Red Hat Enterprise Linux Server', '7.9'), '2026-12-01', 'rhel', '7', 'extended_only'],
  ['CentOS Linux 7', os('linux', 'CentOS Linux', '7'), '2026-12-01', 'centos', '7', 'end_of_life'],
  ['CentOS Stream 9', os('linux', 'CentOS Stream', '9'), '2026-06-01', 'centos-stream', 'Stream 9', 'supported'],
  ['Fedora 43 weeks before its end', os('linux', 'Fedora Linux', '43 (Workstation Edition)'), '2026-12-01', 'fedora', '43', 'ending_soon'],
  ['Fedora 40', os('linux', 'Fedora Linux', '40'), '2026-12-01', 'fedora', '40', 'end_of_life'],
  ['an unknown distro', os('linux', 'Arch Linux', 'rolling'), '2026-12-01', null, null, 'unknown'],
  ['a known distro with an unknown release', os('linux', 'Debian GNU/Linux', '14'), '2026-12-01', 'debian', null, 'unknown'],
  ['an unknown platform', os('freebsd', 'FreeBSD', '14.1'), '2026-12-01', null, null, 'unknown'],
];

describe('osEndOfLife', () => {
  it.each(cases)('%s', (_label, input, now, product, cycle, status) => {
    const r = osEndOfLife(input, at(now));
    expect({ product: r.product, cycle: r.cycle, status: r.status }).toEqual({ product, cycle, status });
  });

  it('returns the dates and vendor page of the matched row', () => {
    const r = osEndOfLife(os('win32', 'Microsoft Windows 10 Pro', '10.0.19045'), at('2025-01-01'));
    expect(r.endsAt).toBe(Date.UTC(2025, 9, 14));
    expect(r.extendedEndsAt).toBe(Date.UTC(2028, 9, 10));
    expect(r.source).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    const unknown = osEndOfLife(os('linux', 'Arch Linux', 'rolling'), at('2025-01-01'));
    expect(unknown).toEqual({ product: null, cycle: null, status: 'unknown', endsAt: null, extendedEndsAt: null, source: null });
  });

  it('reports an undetermined macOS end as null', () => {
    const r = osEndOfLife(os('darwin', 'macOS', '26.1'), at('2026-12-01'));
    expect(r).toMatchObject({ cycle: '26 Tahoe', status: 'supported', endsAt: null });
  });
});

describe('OS end-of-life table', () => {
  const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const isDay = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(ms(d));

  it.each(OS_EOL.map((r) => [`${r.product} ${r.cycle}${r.edition ? ` (${r.edition})` : ''}`, r] as const))('%s has ordered dates, a vendor page and a past check', (_l, r) => {
    for (const d of [r.releasedAt, r.supportEndsAt, r.extendedEndsAt, r.checked]) if (d !== null) expect(isDay(d), d).toBe(true);
    if (r.supportEndsAt !== null) expect(ms(r.supportEndsAt)).toBeGreaterThan(ms(r.releasedAt));
    if (r.extendedEndsAt !== null) {
      expect(r.supportEndsAt).not.toBeNull();
      expect(ms(r.extendedEndsAt)).toBeGreaterThan(ms(r.supportEndsAt!));
    }
    expect(ms(r.releasedAt)).toBeLessThanOrEqual(ms(r.checked));
    expect(ms(r.checked)).toBeLessThanOrEqual(Date.now());
    expect(r.source).toMatch(/^https:\/\//);
  });

  it('has one row per release and edition', () => {
    const keys = OS_EOL.map((r) => `${r.product}|${r.version}|${r.edition ?? '*'}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
