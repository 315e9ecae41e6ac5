import { describe, expect, it } from 'vitest';
import type { HardwareInventory, OsInventory } from '../../protocol/inventory';
import { changeMessage, hardwareChanges, osChanges } from './inventory-changes';

const hw = (): HardwareInventory => ({
  system: { manufacturer: 'Lenovo', model: 'ThinkPad T14', serial: 'PF123', uuid: null, sku: null, chassis: 'laptop' },
  bios: { vendor: 'LENOVO', version: 'R1MET60W', releaseDate: '2023-01-05' },
  baseboard: { manufacturer: 'LENOVO', model: '21AH', serial: null, version: null },
  cpu: { manufacturer: 'AMD', model: 'Ryzen 7 PRO 6850U', cores: 8, threads: 16, speedMHz: 2700, sockets: 1 },
  memory: { totalBytes: 16e9, modules: [] },
  disks: [{ device: '/dev/nvme0n1', model: 'WDC PC SN740', serial: 'W1', sizeBytes: 512e9, type: 'SSD', interface: 'NVMe', smart: 'Ok' }],
  volumes: [{ mount: '/', fs: 'ext4', sizeBytes: 500e9, usedBytes: 100e9, label: null }],
  gpus: [{ vendor: 'AMD', model: 'Radeon 680M', vramBytes: null, driverVersion: null }],
  displays: [],
  nics: [{ name: 'wlan0', mac: 'aa:bb:cc:dd:ee:ff', speedMbps: null, type: 'wireless', virtual: false, ipv4: ['10.0.0.5'], ipv6: [] }],
  usb: [],
  battery: { manufacturer: 'SMP', model: '5B10W51', designCapacityWh: 52.5, fullCapacityWh: 50, cycleCount: 100, healthPercent: 95 },
  tpm: { present: true, version: '2.0', manufacturer: 'AMD' },
  secureBoot: true,
});

describe('inventory change records', () => {
  it('ignores readings that move on their own: volume usage, battery wear, NIC addresses', () => {
    const next = hw();
    next.volumes[0]!.usedBytes = 200e9;
    next.battery!.fullCapacityWh = 41;
    next.battery!.cycleCount = 300;
    next.nics[0]!.ipv4 = ['192.168.1.9'];
    expect(hardwareChanges(hw(), next)).toEqual([]);
  });

  it('names a replaced disk, a new BIOS version and secure boot turned off', () => {
    const next = hw();
    next.disks = [{ ...next.disks[0]!, model: 'Samsung 990 PRO', serial: 'S9', sizeBytes: 2e12 }];
    next.bios.version = 'R1MET62W';
    next.secureBoot = false;
    expect(hardwareChanges(hw(), next)).toEqual([
      { kind: 'hardware_changed', subject: 'bios.version', source: null, fromValue: 'R1MET60W', toValue: 'R1MET62W' },
      { kind: 'hardware_changed', subject: 'disks', source: null, fromValue: 'WDC PC SN740 512 GB #W1', toValue: 'Samsung 990 PRO 2 TB #S9' },
      { kind: 'hardware_changed', subject: 'secureBoot', source: null, fromValue: 'on', toValue: 'off' },
    ]);
  });

  it('records an OS upgrade per changed field and words alerts for each kind', () => {
    const os: OsInventory = { platform: 'linux', name: 'Ubuntu', version: '22.04', build: 'jammy', kernel: '5.15.0', arch: 'x64', installedAt: null };
    const changes = osChanges(os, { ...os, version: '24.04', build: 'noble', kernel: '6.8.0' });
    expect(changes.map((c) => [c.subject, c.fromValue, c.toValue])).toEqual([
      ['os.version', '22.04', '24.04'],
      ['os.build', 'jammy', 'noble'],
      ['os.kernel', '5.15.0', '6.8.0'],
    ]);
    expect(changeMessage(changes[0]!, 'web-01')).toBe('OS changed on web-01: os.version 22.04 → 24.04');
    expect(changeMessage({ kind: 'software_updated', subject: 'nginx', source: 'dpkg', fromValue: '1.22', toValue: '1.24' }, 'web-01')).toBe(
      'Software updated on web-01: nginx 1.22 → 1.24 (dpkg)',
    );
    expect(changeMessage({ kind: 'software_removed', subject: 'nginx', source: 'dpkg', fromValue: '1.24', toValue: null }, 'web-01')).toBe(
      'Software removed on web-01: nginx 1.24 (dpkg)',
    );
  });
});
