import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SmartDisk } from '../../protocol/device-state';
import { parseSmartDevice, parseSmartScan } from '../src/parsers/smartctl';
import { fixture } from './helpers/fixtures';

describe('smartctl parsers', () => {
  it('keeps scanned devices that opened and whose name and type are plain', () => {
    expect(parseSmartScan(fixture('smartctl-scan-open.json'))).toEqual([
      { name: '/dev/sda', type: 'sat' },
      { name: '/dev/nvme0', type: 'nvme' },
    ]);
    expect(parseSmartScan('smartctl: command not found')).toEqual([]);
  });

  it('reads a healthy SATA SSD and notes reallocated sectors', () => {
    const d = parseSmartDevice('/dev/sda', fixture('smartctl-ata.json'));
    expect(v.is(SmartDisk, d)).toBe(true);
    expect(d).toEqual({
      device: '/dev/sda',
      model: 'Samsung SSD 860 EVO 500GB',
      serial: 'S3Z1NB0K123456A',
      healthy: true,
      temperatureC: 31,
      detail: 'reallocated sectors: 8',
    });
  });

  it('reads NVMe health and wear', () => {
    expect(parseSmartDevice('/dev/nvme0', fixture('smartctl-nvme.json'))).toEqual({
      device: '/dev/nvme0',
      model: 'WDC WDS100T2B0C-00PXH0',
      serial: '21090K804512',
      healthy: true,
      temperatureC: 38,
      detail: '3% of rated endurance used',
    });
  });

  it('reports a failing disk with the attributes that failed', () => {
    const d = parseSmartDevice('/dev/sdb', fixture('smartctl-failing.json'));
    expect(d.healthy).toBe(false);
    expect(d.detail).toBe('Reallocated_Sector_Ct failing now; reallocated sectors: 3912; pending sectors: 16; uncorrectable sectors: 16');
  });

  it('says why when health is unknown (asleep, unreadable)', () => {
    expect(parseSmartDevice('/dev/sdd', fixture('smartctl-standby.json'))).toEqual({
      device: '/dev/sdd',
      healthy: null,
      detail: 'Device is in STANDBY mode, exit(2)',
    });
    expect(parseSmartDevice('/dev/sde', '')).toEqual({ device: '/dev/sde', healthy: null, detail: 'smartctl gave no readable answer' });
  });
});
