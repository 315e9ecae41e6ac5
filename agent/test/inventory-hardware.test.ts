import * as v from 'valibot';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson, HardwareInventory, OsInventory } from '../../protocol/inventory';
import { collectHardware, within } from '../src/inventory/hardware';
import { osFromSi, readOsInfo } from '../src/inventory/os';
import { platformFacts } from '../src/inventory/platform-facts';
import { batteryFromUevent } from '../src/parsers/battery-linux';
import { linuxTpm, parseWindowsFirmware, secureBootFromEfivar, tpmVendorFromCaps } from '../src/parsers/firmware-security';
import { hardwareFromSi, type SiHardware } from '../src/parsers/hardware-si';
import { isoDate, known } from '../src/parsers/hardware-values';
import { fixture, fixtureJson } from './helpers/fixtures';

const GIB = 1024 ** 3;

describe('hardware on this machine', () => {
  it('collects hardware and OS that pass the schema, the same twice in a row', async () => {
    const first = await collectHardware();
    const second = await collectHardware();
    expect(v.safeParse(HardwareInventory, first.hardware).issues).toBeUndefined();
    expect(canonicalJson(second.hardware)).toBe(canonicalJson(first.hardware));

    const os = osFromSi(await readOsInfo(), process.platform, first.facts.osInstalledAt);
    expect(v.safeParse(OsInventory, os).issues).toBeUndefined();
    expect(os.platform).toBe(process.platform);
    expect(os.name.length).toBeGreaterThan(0);

    // What the kernel itself says must be what inventory says.
    expect(first.hardware.memory.totalBytes).toBe((await import('node:os')).totalmem());
    expect(first.hardware.cpu.threads).toBeGreaterThan(0);
    for (const vol of first.hardware.volumes) expect((vol.usedBytes ?? 0) % GIB).toBe(0);
    expect(first.hardware.nics.some((n) => n.name === 'lo')).toBe(false);
  });
});

describe('systeminformation answers mapped to inventory', () => {
  it('maps a Windows laptop, dropping placeholders and values that move', () => {
    const hw = hardwareFromSi(fixtureJson('hardware/windows-si.json') as SiHardware, 'win32', { tpm: null, secureBoot: true });
    expect(v.safeParse(HardwareInventory, hw).issues).toBeUndefined();
    expect(hw.system).toEqual({ manufacturer: 'Dell Inc.', model: 'Latitude 7440', serial: '8XK2Q93', uuid: '4c4c4544-0058-4b10-8032-b8c04f513933', sku: '0C1A', chassis: 'Notebook' });
    expect(hw.bios).toEqual({ vendor: 'Dell Inc.', version: '1.12.0', releaseDate: '2024-03-12' });
    expect(hw.cpu).toEqual({ manufacturer: 'Intel', model: 'Intel Core™ i7-1365U', cores: 10, threads: 12, speedMHz: 5200, sockets: 1 });
    expect(hw.memory.modules.map((m) => [m.slot, m.sizeBytes, m.speedMHz, m.partNumber])).toEqual([
      ['BANK 0', 16 * GIB, 5200, 'HMCG78AGBSA092N'],
      ['BANK 1', 16 * GIB, 5200, 'HMCG78AGBSA092N'],
    ]);
    expect(hw.disks[1]).toMatchObject({ model: 'SanDisk Extreme 55AE USB Device', serial: null, smart: null, interface: 'USB' });
    // Used space moves to the next whole GiB only: 312.3 GB used is 291 GiB.
    expect(hw.volumes).toEqual([
      { mount: 'C:', fs: 'NTFS', sizeBytes: 510770802688, usedBytes: 291 * GIB, label: 'Windows' },
      { mount: 'D:', fs: 'exFAT', sizeBytes: 1000169340928, usedBytes: 0, label: 'BACKUP' },
    ]);
    expect(hw.gpus).toEqual([{ vendor: 'Intel Corporation', model: 'Intel(R) Iris(R) Xe Graphics', vramBytes: 128 * 1024 ** 2, driverVersion: '31.0.101.4502' }]);
    expect(hw.displays.map((d) => [d.vendor, d.model, d.resolution, d.main])).toEqual([
      ['DEL', 'DELL U2723QE', '3840x2160', false],
      [null, 'Generic PnP Monitor', '1920x1200', true],
    ]);
    // Loopback out; a wireless link rate is not a property of the card; every address listed.
    expect(hw.nics.map((n) => n.name)).toEqual(['Ethernet', 'Wi-Fi', 'vEthernet (WSL)']);
    expect(hw.nics.find((n) => n.name === 'Wi-Fi')).toEqual({
      name: 'Wi-Fi',
      mac: 'a4:6b:b6:11:22:33',
      speedMbps: null,
      type: 'wireless',
      virtual: false,
      ipv4: ['192.168.1.23'],
      ipv6: ['2a02:8108:1240:3c00:1c2b:3d4e:5f60:7182', 'fe80::1c2b:3d4e:5f60:7182'],
    });
    expect(hw.nics.find((n) => n.name === 'Ethernet')).toMatchObject({ speedMbps: 1000, ipv4: [], ipv6: [] });
    expect(hw.usb.map((u) => u.name)).toEqual(['Logitech USB Input Device', 'USB Mass Storage Device']);
    expect(hw.battery).toEqual({ manufacturer: 'SMP', model: 'DELL 7FMXV3A', designCapacityWh: 57, fullCapacityWh: 51, cycleCount: null, healthPercent: 90 });
    expect(hw.secureBoot).toBe(true);
  });

  it('maps a Mac, keeping only the battery figures that do not follow the charge', () => {
    const hw = hardwareFromSi(fixtureJson('hardware/macos-si.json') as SiHardware, 'darwin', { tpm: null, secureBoot: null });
    expect(v.safeParse(HardwareInventory, hw).issues).toBeUndefined();
    expect(hw.system).toMatchObject({ manufacturer: 'Apple Inc.', model: 'Mac15,3', serial: 'C02XG2JHJGH5', sku: null, chassis: 'Laptop' });
    expect(hw.bios.releaseDate).toBeNull();
    expect(hw.cpu).toEqual({ manufacturer: 'Apple', model: 'Apple M3', cores: 8, threads: 8, speedMHz: 2400, sockets: 1 });
    expect(hw.memory.modules).toEqual([{ slot: '0', sizeBytes: 16 * GIB, speedMHz: null, type: 'LPDDR5', manufacturer: 'Hynix', partNumber: null, serial: null }]);
    expect(hw.volumes.map((x) => [x.mount, x.label])).toEqual([
      ['/', 'Macintosh HD'],
      ['/System/Volumes/Data', 'Data'],
    ]);
    expect(hw.gpus[0].vramBytes).toBeNull();
    expect(hw.nics.map((n) => n.name)).toEqual(['en0']);
    expect(hw.usb.map((u) => u.name)).toEqual(['YubiKey OTP+FIDO+CCID']);
    expect(hw.battery).toEqual({ manufacturer: 'Apple', model: 'bq40z651', designCapacityWh: null, fullCapacityWh: null, cycleCount: 87, healthPercent: 94 });
  });

  it('gives nulls and empty lists, never an exception, when every call failed', () => {
    const hw = hardwareFromSi({}, 'linux', { tpm: null, secureBoot: null });
    expect(v.safeParse(HardwareInventory, hw).issues).toBeUndefined();
    expect(hw.system.model).toBeNull();
    expect(hw.disks).toEqual([]);
    expect(hw.battery).toBeNull();

    // An answer of an unexpected shape costs that part only.
    const odd = { diskLayout: 'not a list', usb: [{ name: 'YubiKey', type: 'Security' }], system: { model: 'X1', uuid: 42 } } as unknown as SiHardware;
    const mapped = hardwareFromSi(odd, 'linux', { tpm: null, secureBoot: null });
    expect(mapped.disks).toEqual([]);
    expect(mapped.usb.map((u) => u.name)).toEqual(['YubiKey']);
    expect(mapped.system).toMatchObject({ model: 'X1', uuid: '42' });
    expect(v.safeParse(HardwareInventory, mapped).issues).toBeUndefined();
  });

  it('cuts over-long text to the schema', () => {
    const long = 'x'.repeat(400);
    const hw = hardwareFromSi({ system: { model: `  ${long}  `, serial: long }, usb: [{ name: long, type: 'Storage' }] }, 'linux', { tpm: null, secureBoot: null });
    expect(hw.system.model).toHaveLength(128);
    expect(hw.usb[0].name).toHaveLength(255);
    expect(v.safeParse(HardwareInventory, hw).issues).toBeUndefined();
  });

  it('names Windows, macOS and Linux releases', () => {
    expect(osFromSi({ distro: 'Microsoft Windows 11 Pro', release: '10.0.22631', build: '22631', codename: '', kernel: '10.0.22631', arch: 'x64' }, 'win32', 1700481234000)).toEqual({
      platform: 'win32',
      name: 'Microsoft Windows 11 Pro',
      version: '10.0.22631',
      build: '22631',
      kernel: '10.0.22631',
      arch: 'x64',
      installedAt: 1700481234000,
    });
    expect(osFromSi({ distro: 'macOS', release: '14.5', build: '23F79', codename: 'Sonoma', kernel: '23.5.0', arch: 'arm64' }, 'darwin', null).build).toBe('23F79');
    expect(osFromSi({ distro: 'Ubuntu', release: '22.04.4 LTS', build: '', codename: 'jammy', kernel: '6.5.0-41-generic', arch: 'x64' }, 'linux', null).build).toBe('jammy');
    // osInfo failed: Node's own answers stand in.
    expect(v.is(OsInventory, osFromSi(null, 'linux', null))).toBe(true);
  });

  it('reads vendor placeholders and firmware dates', () => {
    for (const p of ['To Be Filled By O.E.M.', 'Default string', ' 0 ', 'System Serial Number', '03000200-0400-0500-0006-000700080009']) expect(known(p, 64)).toBeNull();
    expect(known('  PF3ABCD  ', 64)).toBe('PF3ABCD');
    expect(isoDate('03/15/2023')).toBe('2023-03-15');
    expect(isoDate('20230315000000.000000+000')).toBe('2023-03-15');
    expect(isoDate('2023-02-30')).toBeNull();
    expect(isoDate('')).toBeNull();
  });
});

describe('TPM, Secure Boot and battery from the platform', () => {
  it('parses TPM, Secure Boot and the install date from the Windows query', () => {
    expect(parseWindowsFirmware(fixtureJson('hardware/windows-firmware.json'))).toEqual({
      tpm: { present: true, version: '2.0', manufacturer: 'INTC' },
      secureBoot: true,
      osInstalledAt: 1700481234000,
    });
    expect(parseWindowsFirmware({ tpm: { present: false }, secureBoot: 0 })).toMatchObject({ tpm: { present: false, version: null }, secureBoot: false });
    // No administrator rights: the TPM query failed, which is not "no TPM".
    expect(parseWindowsFirmware({ tpm: null, secureBoot: null }).tpm).toBeNull();
  });

  it('reads the Linux TPM vendor and the SecureBoot variable', () => {
    expect(tpmVendorFromCaps('Manufacturer: 0x49465800\nTCG version: 1.2\n')).toBe('IFX');
    expect(linuxTpm({ major: '2\n', caps: null })).toEqual({ present: true, version: '2.0', manufacturer: null });
    expect(linuxTpm({ major: null, caps: 'Manufacturer: 0x53544d20\nTCG version: 1.2\n' })).toEqual({ present: true, version: '1.2', manufacturer: 'STM' });
    expect(secureBootFromEfivar(Uint8Array.from([6, 0, 0, 0, 1]))).toBe(true);
    expect(secureBootFromEfivar(Uint8Array.from([6, 0, 0, 0, 0]))).toBe(false);
    expect(secureBootFromEfivar(Uint8Array.from([6]))).toBeNull();
  });

  it('reads Linux batteries by their own figures, not the present voltage', () => {
    expect(batteryFromUevent(fixture('hardware/linux-battery-charge.uevent'))).toEqual({
      manufacturer: 'SMP',
      model: 'DELL 7FMXV3A',
      designCapacityWh: 45.6,
      fullCapacityWh: 40,
      cycleCount: 312,
      healthPercent: 88,
    });
    expect(batteryFromUevent(fixture('hardware/linux-battery-energy.uevent'))).toMatchObject({ designCapacityWh: 57, fullCapacityWh: 48, cycleCount: null, healthPercent: 85 });
    expect(batteryFromUevent('POWER_SUPPLY_TYPE=Mains\nPOWER_SUPPLY_ONLINE=1\n')).toBeNull();
    expect(batteryFromUevent('POWER_SUPPLY_TYPE=Battery\nPOWER_SUPPLY_SCOPE=Device\nPOWER_SUPPLY_MODEL_NAME=MX Master 3\n')).toBeNull();
  });

  const roots: string[] = [];
  const sysRoot = (files: Record<string, string | Uint8Array>) => {
    const root = mkdtempSync(join(tmpdir(), 'tether-sysfs-'));
    roots.push(root);
    for (const [path, data] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), data);
    }
    return root;
  };
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('reads sysfs and efivarfs trees as Linux lays them out', async () => {
    const uefi = sysRoot({
      'sys/class/tpm/tpm0/tpm_version_major': '2\n',
      'sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c': Uint8Array.from([6, 0, 0, 0, 1]),
      'sys/class/power_supply/AC/uevent': 'POWER_SUPPLY_TYPE=Mains\n',
      'sys/class/power_supply/BAT0/uevent': fixture('hardware/linux-battery-energy.uevent'),
    });
    const facts = await platformFacts('linux', uefi);
    expect(facts.tpm).toEqual({ present: true, version: '2.0', manufacturer: null });
    expect(facts.secureBoot).toBe(true);
    expect(facts.battery?.designCapacityWh).toBe(57);

    // A legacy BIOS boot with a TPM driver but no chip, on a desktop.
    const legacy = sysRoot({ 'sys/firmware/acpi/tables/DSDT': 'x', 'sys/class/tpm/.keep': '', 'sys/class/power_supply/AC/uevent': 'POWER_SUPPLY_TYPE=Mains\n' });
    expect(await platformFacts('linux', legacy)).toMatchObject({ tpm: { present: false }, secureBoot: false, battery: null });

    // Nothing readable: unknown, not "no".
    expect(await platformFacts('linux', sysRoot({}))).toMatchObject({ tpm: null, secureBoot: null, battery: undefined });
  });

  it('gives up on a call that does not answer in time', async () => {
    const started = Date.now();
    expect(await within(() => new Promise(() => {}), 50)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await within(() => Promise.reject(new Error('no tool')))).toBeNull();
    expect(await within(async () => 7)).toBe(7);
  });
});
