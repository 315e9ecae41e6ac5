import { describe, expect, it } from 'vitest';
import { parsePing, pingCommand } from '../src/checks/ping-check';
import { relevantInterfaces } from '../src/collectors/io-counters';
import { isWholeDisk, parseDiskstats } from '../src/parsers/proc-diskstats';
import { parseProcNetDev } from '../src/parsers/proc-net-dev';
import { parseWindowsIo } from '../src/parsers/windows-io';
import { csvRow, nameMatches, parsePsComm, parseTasklistCsv } from '../src/system/process-names';
import { fixture, fixtureJson } from './helpers/fixtures';

describe('I/O counters', () => {
  it('reads /proc/net/dev (recorded on this machine)', () => {
    const list = parseProcNetDev(fixture('linux-proc-net-dev.txt'));
    const lo = list.find((n) => n.iface === 'lo')!;
    expect(lo.rxBytes).toBeGreaterThan(0);
    expect(lo.errors).toBe(308); // rx drops
    expect(list.map((n) => n.iface)).toContain('eth0');
    expect(relevantInterfaces(list).map((n) => n.iface)).not.toContain('lo');
    const synthetic = parseProcNetDev('  eth1: 100 1 2 3 0 0 0 0 200 2 4 5 0 0 0 0\n');
    expect(synthetic).toEqual([{ iface: 'eth1', rxBytes: 100, txBytes: 200, errors: 2 + 3 + 4 + 5 }]);
  });

  it('sums whole disks only from /proc/diskstats', () => {
    expect(['sda', 'vda', 'nvme0n1', 'mmcblk0', 'xvdb'].every(isWholeDisk)).toBe(true);
    expect(['sda1', 'nvme0n1p2', 'dm-0', 'loop3', 'zram0', 'md127', 'mmcblk0p1'].some(isWholeDisk)).toBe(false);
    // Recorded here: loop and zram devices beside vda, which read 7342666 and wrote 78575296 sectors.
    expect(parseDiskstats(fixture('linux-proc-diskstats.txt'))).toEqual({ readBytes: 7342666 * 512, writeBytes: 78575296 * 512 });
    const text = '   8  0 sda 10 0 100 0 20 0 300 0 0 0 0\n   8  1 sda1 10 0 100 0 20 0 300 0 0 0 0\n 253 0 dm-0 1 0 50 0 1 0 60 0 0 0 0\n';
    expect(parseDiskstats(text)).toEqual({ readBytes: 100 * 512, writeBytes: 300 * 512 });
    expect(parseDiskstats('   7 0 loop0 0 0 0 0 0 0 0 0 0 0 0\n')).toBeNull();
  });

  it('reads Windows raw performance counters', () => {
    const io = parseWindowsIo(fixtureJson('windows-io.json'));
    expect(io.disk).toEqual({ readBytes: 48213505024, writeBytes: 91844470784 });
    expect(io.net[0]).toEqual({ iface: 'Intel[R] Ethernet Connection [2] I219-LM', rxBytes: 3918222471, txBytes: 418811094, errors: 12 });
    expect(relevantInterfaces(io.net).map((n) => n.iface)).toEqual(['Intel[R] Ethernet Connection [2] I219-LM']);
    expect(parseWindowsIo(null)).toEqual({ disk: null, net: [] });
  });
});

describe('process names', () => {
  it('reads macOS ps and Windows tasklist output', () => {
    const mac = parsePsComm(fixture('ps-comm-macos.txt'));
    expect(mac[1]).toEqual({ pid: 327, names: ['Finder'] });
    expect(mac[5].names).toEqual(['Google Chrome Helper (Renderer)']);
    const win = parseTasklistCsv(fixture('tasklist.csv'));
    expect(win.map((p) => p.pid)).toEqual([0, 4, 1020, 2848, 9312, 9400]);
    expect(win[5].names).toEqual(['My "quoted" app.exe']);
    expect(parseTasklistCsv(fixture('tasklist-none.txt'))).toEqual([]);
    expect(csvRow('"a","b,c",,"d""e"')).toEqual(['a', 'b,c', '', 'd"e']);
  });

  it('matches names the way each OS spells them', () => {
    expect(nameMatches({ pid: 1, names: ['EXCEL.EXE'] }, 'excel', 'win32')).toBe(true);
    expect(nameMatches({ pid: 1, names: ['EXCEL.EXE'] }, 'excel.exe', 'win32')).toBe(true);
    expect(nameMatches({ pid: 1, names: ['Finder'] }, 'finder', 'darwin')).toBe(true);
    expect(nameMatches({ pid: 1, names: ['nginx'] }, 'Nginx', 'linux')).toBe(false);
    // The kernel's name is cut at 15 characters.
    expect(nameMatches({ pid: 1, names: ['unattended-upgr'] }, 'unattended-upgrade-shutdown', 'linux')).toBe(true);
    expect(nameMatches({ pid: 1, names: ['unattended-upgr'] }, 'unattended-upgrx', 'linux')).toBe(true);
    expect(nameMatches({ pid: 1, names: ['nginx'] }, 'ngin', 'linux')).toBe(false);
  });
});

describe('ping', () => {
  it('never lets the host be read as an option', () => {
    expect(pingCommand('example.com', 2500, 'linux')).toEqual({ command: 'ping', args: ['-c', '1', '-n', '-W', '3', '--', 'example.com'] });
    expect(pingCommand('[::1]', 1000, 'linux').args.slice(-2)).toEqual(['--', '::1']);
    expect(pingCommand('10.0.0.1', 1000, 'darwin')).toEqual({ command: 'ping', args: ['-c', '1', '-n', '-W', '1000', '--', '10.0.0.1'] });
    expect(pingCommand('fe80::1%en0', 1000, 'darwin')).toEqual({ command: 'ping6', args: ['-c', '1', '-n', '--', 'fe80::1%en0'] });
    expect(pingCommand('10.0.0.1', 750, 'win32')).toEqual({ command: 'ping', args: ['-n', '1', '-w', '750', '10.0.0.1'] });
  });

  it('reads replies and times on each OS', () => {
    expect(parsePing(fixture('ping-linux-ok.txt'), 0, 'linux')).toEqual({ replied: true, rttMs: expect.any(Number) });
    expect(parsePing(fixture('ping-macos-ok.txt'), 0, 'darwin')).toEqual({ replied: true, rttMs: 2.614 });
    expect(parsePing(fixture('ping-windows-ok.txt'), 0, 'win32')).toEqual({ replied: true, rttMs: 3 });
    expect(parsePing(fixture('ping-windows-german.txt'), 0, 'win32')).toEqual({ replied: true, rttMs: 1 });
    // Windows exits 0 for a router's "unreachable" reply: no TTL, no answer.
    expect(parsePing(fixture('ping-windows-unreachable.txt'), 0, 'win32')).toEqual({ replied: false });
    expect(parsePing('', 1, 'linux')).toEqual({ replied: false });
  });
});
