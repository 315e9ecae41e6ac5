import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { PackageManifest } from '../../protocol/packages';
import { detected, sameVersion } from '../src/deploy/detect';
import { DeployError } from '../src/deploy/failure';
import { aptInstall, aptRemove } from '../src/deploy/installers/apt';
import { brewArgv } from '../src/deploy/installers/brew';
import { chocoInstall, chocoUninstall } from '../src/deploy/installers/choco';
import { onPath, operand, type InstallerContext } from '../src/deploy/installers/common';
import { debFieldPackage, debFixDependencies, debInstall, debRemove } from '../src/deploy/installers/deb';
import { dnfInstall, dnfRemove } from '../src/deploy/installers/dnf';
import { exeInstall, exeUninstall } from '../src/deploy/installers/exe';
import { INSTALLERS } from '../src/deploy/installers/index';
import { msiInstall, msiUninstall } from '../src/deploy/installers/msi';
import { pkgInstall } from '../src/deploy/installers/pkg';
import { rpmFieldName, rpmInstall, rpmRemove } from '../src/deploy/installers/rpm';
import { wingetInstall, wingetUninstall } from '../src/deploy/installers/winget';
import { runProgram } from '../src/run-program';

const FILE = '/var/lib/tether/packages/abc.pkg';

describe('installer argument vectors', () => {
  it('builds one vector per installer and action, never a shell string', () => {
    const quiet = { DEBIAN_FRONTEND: 'noninteractive' };
    expect(debInstall(FILE)).toEqual({ command: 'dpkg', args: ['-i', FILE], env: quiet });
    expect(debFixDependencies).toEqual({ command: 'apt-get', args: ['-f', 'install', '-y'], env: quiet });
    expect(debRemove('nginx')).toEqual({ command: 'dpkg', args: ['-r', 'nginx'], env: quiet });
    expect(debFieldPackage(FILE)).toEqual({ command: 'dpkg-deb', args: ['-f', FILE, 'Package'] });
    expect(rpmInstall(FILE, true)).toEqual({ command: 'dnf', args: ['install', '-y', FILE] });
    expect(rpmInstall(FILE, false)).toEqual({ command: 'rpm', args: ['-U', FILE] });
    expect(rpmRemove('httpd', true)).toEqual({ command: 'dnf', args: ['remove', '-y', 'httpd'] });
    expect(rpmRemove('httpd', false)).toEqual({ command: 'rpm', args: ['-e', 'httpd'] });
    expect(rpmFieldName(FILE)).toEqual({ command: 'rpm', args: ['-qp', '--queryformat', '%{NAME}', FILE] });
    expect(pkgInstall(FILE)).toEqual({ command: 'installer', args: ['-pkg', FILE, '-target', '/'] });
    expect(msiInstall('C:\\ProgramData\\Tether\\packages\\abc.msi', ['ALLUSERS=1'])).toEqual({
      command: 'msiexec',
      args: ['/i', 'C:\\ProgramData\\Tether\\packages\\abc.msi', '/qn', '/norestart', 'ALLUSERS=1'],
    });
    expect(msiUninstall('C:\\p\\abc.msi')).toEqual({ command: 'msiexec', args: ['/x', 'C:\\p\\abc.msi', '/qn', '/norestart'] });
    expect(exeInstall('C:\\p\\abc.exe', ['/S', '/D=C:\\Program Files\\App'])).toEqual({ command: 'C:\\p\\abc.exe', args: ['/S', '/D=C:\\Program Files\\App'] });
    expect(exeUninstall('C:\\p\\abc.exe', ['/uninstall', '/S'])).toEqual({ command: 'C:\\p\\abc.exe', args: ['/uninstall', '/S'] });
    expect(aptInstall('nginx', '1.22.1-9')).toEqual({ command: 'apt-get', args: ['install', '-y', '-o', 'DPkg::Lock::Timeout=300', 'nginx=1.22.1-9'], env: quiet });
    expect(aptRemove('nginx')).toEqual({ command: 'apt-get', args: ['remove', '-y', '-o', 'DPkg::Lock::Timeout=300', 'nginx'], env: quiet });
    expect(dnfInstall('httpd', '2.4.57')).toEqual({ command: 'dnf', args: ['install', '-y', 'httpd-2.4.57'] });
    expect(dnfRemove('httpd')).toEqual({ command: 'dnf', args: ['remove', '-y', 'httpd'] });
    expect(wingetInstall('Mozilla.Firefox', '120.0')).toEqual({
      command: 'winget',
      args: ['install', '--id', 'Mozilla.Firefox', '--exact', '--version', '120.0', '--silent', '--accept-package-agreements', '--accept-source-agreements', '--disable-interactivity'],
    });
    expect(wingetUninstall('Mozilla.Firefox')).toEqual({ command: 'winget', args: ['uninstall', '--id', 'Mozilla.Firefox', '--exact', '--silent', '--accept-source-agreements', '--disable-interactivity'] });
    expect(chocoInstall('7zip', '23.1.0')).toEqual({ command: 'choco', args: ['install', '7zip', '--version', '23.1.0', '-y', '--no-progress'] });
    expect(chocoUninstall('7zip')).toEqual({ command: 'choco', args: ['uninstall', '7zip', '-y', '--no-progress'] });
  });

  it('runs Homebrew as the owner of its installation when the agent is root', () => {
    const home = { path: '/opt/homebrew/bin/brew', owner: 501 };
    expect(brewArgv('install', 'wget', home, 0)).toEqual({
      command: 'sudo',
      args: ['-n', '-H', '-u', '#501', 'env', 'HOMEBREW_NO_AUTO_UPDATE=1', 'HOMEBREW_NO_ANALYTICS=1', 'HOMEBREW_NO_INSTALL_CLEANUP=1', '/opt/homebrew/bin/brew', 'install', 'wget'],
    });
    expect(brewArgv('uninstall', 'wget', home, 501)).toMatchObject({ command: '/opt/homebrew/bin/brew', args: ['uninstall', 'wget'], env: { HOMEBREW_NO_AUTO_UPDATE: '1' } });
  });

  it('refuses a name or version that a program could read as an option', () => {
    const refusals: [string, () => unknown][] = [
      ['dpkg -r', () => debRemove('--force-all')],
      ['rpm -e', () => rpmRemove('-e', false)],
      ['apt name', () => aptInstall('-oAPT::Get::Trivial-Only=1', '1')],
      ['apt version', () => aptInstall('nginx', '-1')],
      ['dnf', () => dnfInstall('--setopt=gpgcheck=0', '1')],
      ['brew', () => brewArgv('install', '--HEAD', { path: '/usr/local/bin/brew', owner: 0 }, 0)],
      ['winget', () => wingetInstall('--override', '1')],
      ['winget uninstall', () => wingetUninstall('-h')],
      ['choco', () => chocoInstall('--source=http://evil', '1')],
      ['choco uninstall', () => chocoUninstall('-fy')],
      ['a relative file', () => debInstall('-i.deb')],
      ['no file', () => msiInstall('', [])],
    ];
    for (const [what, build] of refusals) expect(build, what).toThrow(/refused|needs the package file/);
    expect(() => operand('nginx\n--purge', 'name')).toThrow(/refused/);
    expect(() => exeUninstall('C:\\p\\abc.exe', [])).toThrow(DeployError);
  });
});

/** Stand-ins for programs this machine does not have: they record their argv and exit as told. */
describe('installers against stand-in programs', () => {
  let bin: string;
  let log: string;
  const env = () => ({ ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` });
  const standIn = (name: string, script: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' "$(basename "$0") $*" >> "${log}"\n${script}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  const calls = () => readFileSync(log, 'utf8').trim().split('\n');
  const ctx = (manifest: Partial<PackageManifest>, file: string | null = null, has?: (c: string) => boolean): InstallerContext => ({
    manifest: { silentArgs: [], uninstallArgs: [], detection: { type: 'file', path: '/opt/x' }, ...manifest } as PackageManifest,
    file,
    run: (argv) => runProgram(argv.command, argv.args, { env: { ...env(), ...argv.env } }),
    has: has ?? ((c) => onPath(c, env())),
  });

  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'tether-standins-'));
    log = join(bin, 'calls.log');
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  const reset = () => writeFileSync(log, '');

  it('msiexec: 3010 and 1641 succeed and ask for a restart; 1605 on removal means already gone', async () => {
    // Windows exit codes do not fit a POSIX exit status: msiexec's answers are replayed as recorded.
    const seen: string[] = [];
    const replay = (code: number, stderr = ''): InstallerContext['run'] => async (argv) => {
      seen.push([argv.command, ...argv.args].join(' '));
      return { code, stdout: '', stderr };
    };
    const msi = (code: number, stderr?: string, m: Partial<PackageManifest> = {}) => ({ ...ctx(m, 'C:\\p\\abc.msi'), run: replay(code, stderr) });
    expect(await INSTALLERS.msi.install(msi(3010, '', { silentArgs: ['ALLUSERS=1'] }))).toEqual({ ok: true, exitCode: 3010, rebootRequired: true });
    expect(await INSTALLERS.msi.install(msi(1641))).toMatchObject({ ok: true, rebootRequired: true });
    expect(await INSTALLERS.msi.uninstall(msi(1605))).toMatchObject({ ok: true, exitCode: 1605, rebootRequired: false });
    expect(await INSTALLERS.msi.install(msi(1603, 'Fatal error during installation.\r\n'))).toEqual({ ok: false, exitCode: 1603, rebootRequired: false, error: 'msiexec /i failed (exit 1603): Fatal error during installation.' });
    expect(await INSTALLERS.choco.install({ ...msi(3010, '', { repoName: 'vcredist140', version: '14.38' }) })).toMatchObject({ ok: true, rebootRequired: true });
    expect(seen).toEqual([
      'msiexec /i C:\\p\\abc.msi /qn /norestart ALLUSERS=1',
      'msiexec /i C:\\p\\abc.msi /qn /norestart',
      'msiexec /x C:\\p\\abc.msi /qn /norestart',
      'msiexec /i C:\\p\\abc.msi /qn /norestart',
      'choco install vcredist140 --version 14.38 -y --no-progress',
    ]);
  });

  it('exe: the installer file runs with its silent switches; no uninstall arguments, no removal', async () => {
    reset();
    standIn('setup.exe', 'exit 0');
    const file = join(bin, 'setup.exe');
    expect(await INSTALLERS.exe.install(ctx({ silentArgs: ['/S', '/quiet'] }, file))).toMatchObject({ ok: true, exitCode: 0 });
    expect(await INSTALLERS.exe.uninstall(ctx({ uninstallArgs: ['/uninstall', '/S'] }, file))).toMatchObject({ ok: true });
    await expect(INSTALLERS.exe.uninstall(ctx({}, file))).rejects.toMatchObject({ failure: 'uninstall_failed', message: 'the package defines no uninstall arguments' });
    expect(INSTALLERS.exe.uninstallNeedsFile(ctx({}).manifest)).toBe(false);
    expect(calls()).toEqual(['setup.exe /S /quiet', 'setup.exe /uninstall /S']);
  });

  it('winget, choco, apt and dnf install by name and version', async () => {
    reset();
    for (const name of ['winget', 'choco', 'apt-get', 'dnf']) standIn(name, 'exit 0');
    expect((await INSTALLERS.winget.install(ctx({ repoName: 'Mozilla.Firefox', version: '120.0' }))).ok).toBe(true);
    expect((await INSTALLERS.choco.uninstall(ctx({ repoName: '7zip', version: '23.1.0' }))).ok).toBe(true);
    expect((await INSTALLERS.apt.install(ctx({ repoName: 'nginx', version: '1.22.1-9' }))).ok).toBe(true);
    expect((await INSTALLERS.dnf.uninstall(ctx({ repoName: 'httpd', version: '2.4.57' }))).ok).toBe(true);
    standIn('winget', 'echo "No package found matching input criteria." ; exit 20');
    expect(await INSTALLERS.winget.install(ctx({ repoName: 'Nope.Nope', version: '1' }))).toMatchObject({ ok: false, error: 'winget install failed (exit 20): No package found matching input criteria.' });
    expect(calls()).toEqual([
      'winget install --id Mozilla.Firefox --exact --version 120.0 --silent --accept-package-agreements --accept-source-agreements --disable-interactivity',
      'choco uninstall 7zip -y --no-progress',
      'apt-get install -y -o DPkg::Lock::Timeout=300 nginx=1.22.1-9',
      'dnf remove -y httpd',
      'winget install --id Nope.Nope --exact --version 1 --silent --accept-package-agreements --accept-source-agreements --disable-interactivity',
    ]);
  });

  it('rpm: dnf where there is dnf, plain rpm otherwise; the name comes from the file', async () => {
    reset();
    standIn('dnf', 'exit 0');
    standIn('rpm', '[ "$1" = "-qp" ] && printf httpd; exit 0');
    const m = { detection: { type: 'software' as const, name: 'Apache HTTP Server', match: 'any' as const } };
    await INSTALLERS.rpm.install(ctx(m, '/p/abc.rpm'));
    await INSTALLERS.rpm.install(ctx(m, '/p/abc.rpm', (c) => c !== 'dnf'));
    await INSTALLERS.rpm.uninstall(ctx(m, '/p/abc.rpm', (c) => c !== 'dnf'));
    expect(calls()).toEqual(['dnf install -y /p/abc.rpm', 'rpm -U /p/abc.rpm', 'rpm -qp --queryformat %{NAME} /p/abc.rpm', 'rpm -e httpd']);
    // A detection name that is not an rpm name: removal needs the file to learn the real one.
    expect(INSTALLERS.rpm.uninstallNeedsFile(ctx(m).manifest)).toBe(true);
    expect(INSTALLERS.rpm.uninstallNeedsFile(ctx({ detection: { type: 'software', name: 'httpd', match: 'any' } }).manifest)).toBe(false);
  });

  it('deb: dependency problems are completed by apt-get -f install when apt-get exists', async () => {
    reset();
    standIn('dpkg', 'echo "dpkg: dependency problems prevent configuration of tool:" >&2; exit 1');
    standIn('apt-get', 'exit 0');
    expect(await INSTALLERS.deb.install(ctx({}, '/p/abc.deb'))).toMatchObject({ ok: true, exitCode: 0 });
    expect(await INSTALLERS.deb.install(ctx({}, '/p/abc.deb', (c) => c !== 'apt-get'))).toMatchObject({ ok: false, exitCode: 1 });
    expect(calls()).toEqual(['dpkg -i /p/abc.deb', 'apt-get -f install -y', 'dpkg -i /p/abc.deb']);
  });

  it('pkg: macOS packages cannot be uninstalled, and say so', async () => {
    reset();
    standIn('installer', 'exit 0');
    expect((await INSTALLERS.pkg.install(ctx({}, '/p/abc.pkg'))).ok).toBe(true);
    await expect(INSTALLERS.pkg.uninstall(ctx({}, '/p/abc.pkg'))).rejects.toMatchObject({ failure: 'uninstall_failed' });
    expect(calls()).toEqual(['installer -pkg /p/abc.pkg -target /']);
  });
});

describe('detection', () => {
  it('matches versions as package managers write them', () => {
    expect(sameVersion('1.2.3', '1.2.3')).toBe(true);
    expect(sameVersion('1.2.3-1', '1.2.3')).toBe(true);
    expect(sameVersion('2:1.2.3-1ubuntu2', '1.2.3')).toBe(true);
    expect(sameVersion('1.2.30', '1.2.3')).toBe(false);
    expect(sameVersion('1.2.3', '1.2.3-1')).toBe(false);
    const m = (match: 'exact' | 'atLeast' | 'any') => ({ version: '1.10.0', detection: { type: 'software' as const, name: 'x', match } });
    expect(detected(m('exact'), '1.10.0')).toBe(true);
    expect(detected(m('exact'), '1.9.0')).toBe(false);
    expect(detected(m('atLeast'), '1.11.0')).toBe(true);
    expect(detected(m('atLeast'), '1.9.9')).toBe(false);
    expect(detected(m('any'), '0.1')).toBe(true);
    expect(detected(m('any'), null)).toBe(false);
  });
});
