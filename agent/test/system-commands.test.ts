import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { linuxControl, macosControl, windowsControl } from '../src/system/service-control';
import { killProcess } from '../src/system/kill-process';
import { runServiceCommand } from '../src/system/service-command';
import { systemdRunning } from '../src/service';

const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach((c) => c.kill('SIGKILL')));
const start = (cmd: string, args: string[]) => {
  const c = spawn(cmd, args, { stdio: 'ignore' });
  children.push(c);
  return c;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('service control commands', () => {
  it('builds argument vectors where the name cannot be an option', () => {
    expect(linuxControl({ name: 'nginx', action: 'restart' })).toEqual({ command: 'systemctl', args: ['restart', '--', 'nginx'] });
    const win = windowsControl({ name: 'MSSQL$SQLEXPRESS', action: 'stop' });
    expect(win.command).toBe('powershell.exe');
    expect(win.env).toEqual({ TETHER_SERVICE_NAME: 'MSSQL$SQLEXPRESS', TETHER_SERVICE_ACTION: 'stop' });
    // The name travels in the environment only, never in the encoded script.
    const script = Buffer.from(win.args.at(-1)!, 'base64').toString('utf16le');
    expect(script).toContain("'stop' { Stop-Service -Name $name }");
    expect(script).not.toContain('SQLEXPRESS');
    expect(win.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
  });

  it('uses kickstart, bootout and bootstrap on macOS', () => {
    const plist = '/Library/LaunchDaemons/com.example.web.plist';
    expect(macosControl({ name: 'com.example.web', action: 'restart' }, true, plist).args).toEqual(['kickstart', '-k', 'system/com.example.web']);
    expect(macosControl({ name: 'com.example.web', action: 'start' }, true, plist).args).toEqual(['kickstart', 'system/com.example.web']);
    expect(macosControl({ name: 'com.example.web', action: 'stop' }, true, plist).args).toEqual(['bootout', 'system/com.example.web']);
    // Stopped with bootout earlier: starting means loading the plist again.
    expect(macosControl({ name: 'com.example.web', action: 'start' }, false, plist).args).toEqual(['bootstrap', 'system', plist]);
  });

  it('on this machine, fails clearly without systemd', async () => {
    const out: string[] = [];
    const r = await runServiceCommand({ name: 'cron', action: 'restart' }, (_s, d) => out.push(d)).result;
    if (systemdRunning()) expect(['succeeded', 'failed']).toContain(r.status);
    else expect(r).toMatchObject({ status: 'failed', exitCode: null, error: 'systemd is not running on this machine' });
  });
});

describe('kill_process', () => {
  it('ends the named process', async () => {
    const child = start('sleep', ['30']);
    const r = await killProcess({ pid: child.pid!, name: 'sleep', force: false });
    expect(r).toEqual({ ok: true, message: `sleep (pid ${child.pid}) ended after SIGTERM` });
    expect(alive(child.pid!)).toBe(false);
  });

  it('refuses when the pid now belongs to another program', async () => {
    const child = start('sleep', ['30']);
    const r = await killProcess({ pid: child.pid!, name: 'nginx', force: true });
    expect(r).toEqual({ ok: false, message: `pid ${child.pid} is now "sleep", not "nginx": the pid was reused; refused` });
    expect(alive(child.pid!)).toBe(true);
  });

  it('says when a polite stop was ignored, and force ends it', async () => {
    const child = start('bash', ['-c', 'trap "" TERM; while true; do sleep 0.1; done']);
    await new Promise((r) => setTimeout(r, 200)); // the trap is set
    const polite = await killProcess({ pid: child.pid!, force: false }, { waitMs: 500 });
    expect(polite).toEqual({ ok: false, message: `bash (pid ${child.pid}) is still running 0.5 s after SIGTERM; try again with force` });
    const forced = await killProcess({ pid: child.pid!, name: 'bash', force: true });
    expect(forced.ok).toBe(true);
  });

  it('refuses the agent itself and reports a pid that does not exist', async () => {
    expect(await killProcess({ pid: process.pid, force: true })).toEqual({ ok: false, message: `pid ${process.pid} is the Tether agent itself; refused` });
    const gone = start('true', []);
    await new Promise((r) => gone.once('exit', r));
    expect(await killProcess({ pid: gone.pid!, force: false })).toEqual({ ok: false, message: `no process with pid ${gone.pid} (it may have ended already)` });
  });
});
