import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { StateSections } from '../../protocol/device-state';
import { launchdServices, parseLaunchctlDisabled, parseLaunchctlJob, parseLaunchctlList } from '../src/parsers/launchctl';
import { parseSystemctlShow, parseUnitFiles, parseUnitsJson, parseUnitsPlain, systemdServices } from '../src/parsers/systemd-units';
import { parseWindowsServices } from '../src/parsers/windows-services';
import { windowsServiceState } from '../src/system/service-status';
import { fixture, fixtureJson } from './helpers/fixtures';

const byName = <T extends { name: string }>(list: T[]) => Object.fromEntries(list.map((s) => [s.name, s]));

describe('systemd service list', () => {
  it('joins unit states with unit-file states, skipping units that are not installed', () => {
    const units = parseUnitsJson(fixture('systemctl-list-units.json'))!;
    const services = systemdServices(units, parseUnitFiles(fixture('systemctl-list-unit-files.json')));
    expect(v.is(StateSections.services, services)).toBe(true);
    const s = byName(services);
    expect(s['plymouth-quit-wait.service']).toBeUndefined();
    expect(s['cron.service']).toEqual({ name: 'cron.service', displayName: 'Regular background program processing daemon', state: 'running', startMode: 'auto' });
    expect(s['nginx.service']).toMatchObject({ state: 'failed', startMode: 'auto' });
    expect(s['ssh.service']).toMatchObject({ state: 'running', startMode: 'manual' });
    expect(s['rsyslog.service']).toMatchObject({ state: 'stopped', startMode: 'disabled' });
    expect(s['apt-daily-upgrade.service']).toMatchObject({ state: 'stopped', startMode: 'other' });
    // Instances take their template's unit-file state.
    expect(s['getty@tty1.service']).toMatchObject({ state: 'running', startMode: 'auto' });
    expect(s['postgresql@15-main.service']).toMatchObject({ state: 'starting', startMode: 'other' });
    expect(s['unattended-upgrades.service']).toMatchObject({ state: 'stopping' });
    expect(services).toHaveLength(10);
  });

  it('reads the plain-text listing of systemd versions without JSON output', () => {
    expect(parseUnitsJson('Unknown output format: json')).toBeNull();
    const services = systemdServices(parseUnitsPlain(fixture('systemctl-list-units-plain.txt')), parseUnitFiles(fixture('systemctl-list-unit-files-plain.txt')));
    expect(services.map((s) => [s.name, s.state, s.startMode])).toEqual([
      ['apt-daily-upgrade.service', 'stopped', 'other'],
      ['cron.service', 'running', 'auto'],
      ['nginx.service', 'failed', 'auto'],
      ['ssh.service', 'running', 'manual'],
    ]);
    expect(byName(services)['nginx.service'].displayName).toBe('A high performance web server and a reverse proxy server');
  });

  it('reads one unit from systemctl show', () => {
    expect(parseSystemctlShow(fixture('systemctl-show-nginx.txt'))).toEqual({ load: 'loaded', active: 'failed', sub: 'failed' });
    expect(parseSystemctlShow('LoadState=not-found\nActiveState=inactive\nSubState=dead\n').load).toBe('not-found');
  });
});

describe('Windows services', () => {
  it('maps Win32_Service states and start modes', () => {
    const services = parseWindowsServices(fixtureJson('windows-services.json'));
    expect(v.is(StateSections.services, services)).toBe(true);
    const s = byName(services);
    expect(s.Dnscache).toEqual({ name: 'Dnscache', displayName: 'DNS Client', state: 'running', startMode: 'auto' });
    expect(s.BITS).toMatchObject({ state: 'stopped', startMode: 'manual' });
    expect(s['MSSQL$SQLEXPRESS']).toMatchObject({ state: 'starting', startMode: 'auto' });
    expect(s.RemoteRegistry).toMatchObject({ state: 'stopped', startMode: 'disabled' });
    expect(s.Spooler).toMatchObject({ state: 'stopping' });
    expect(s.wuauserv).toMatchObject({ state: 'other' });
    expect(s.disk).toMatchObject({ startMode: 'auto' });
  });

  it('accepts the single object ConvertTo-Json prints for one service, and nothing for none', () => {
    expect(parseWindowsServices(fixtureJson('windows-service-single.json'))).toEqual([
      { name: 'Spooler', displayName: 'Print Spooler', state: 'running', startMode: 'auto' },
    ]);
    expect(parseWindowsServices(null)).toEqual([]);
  });

  it('reads Get-Service status words', () => {
    expect(windowsServiceState('Running\r\n')).toBe('running');
    expect(windowsServiceState('StopPending')).toBe('stopping');
    expect(windowsServiceState('missing')).toBe('missing');
    expect(windowsServiceState('')).toBe('unknown');
  });
});

describe('launchd jobs', () => {
  it('reads launchctl list and the disabled overrides', () => {
    const jobs = parseLaunchctlList(fixture('launchctl-list.txt'));
    expect(jobs).toHaveLength(6);
    expect(jobs[1]).toEqual({ label: 'com.apple.Finder', pid: 327, status: 0 });
    const disabled = parseLaunchctlDisabled(fixture('launchctl-print-disabled.txt'));
    expect([...disabled].sort()).toEqual(['com.apple.ftpd', 'org.apache.httpd']);
    const s = byName(launchdServices(jobs, disabled));
    expect(s['com.openssh.sshd']).toEqual({ name: 'com.openssh.sshd', state: 'running', startMode: 'other' });
    expect(s['com.example.backup'].state).toBe('failed');
    // Killed by a signal (jetsam): on-demand jobs end that way routinely.
    expect(s['com.apple.mdworker.shared.0B000000-0000-0000-0000-000000000000'].state).toBe('stopped');
    expect(s['org.apache.httpd']).toMatchObject({ state: 'stopped', startMode: 'disabled' });
  });

  it('reads one job, decoding its raw wait status', () => {
    expect(parseLaunchctlJob(fixture('launchctl-list-job-running.txt'))).toEqual({ running: true, pid: 1184, lastExit: 0 });
    expect(parseLaunchctlJob(fixture('launchctl-list-job-stopped.txt'))).toEqual({ running: false, pid: null, lastExit: 78 });
    expect(parseLaunchctlJob('Could not find service "x" in domain for port')).toBeNull();
  });
});
