import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SoftwareItem } from '../../../protocol/inventory';
import { DPKG_QUERY_ARGS, dpkgListFiles, parseDpkgQuery } from '../parsers/software-dpkg';
import { softwareList } from '../parsers/software-items';
import { parseBrewInfo, parseSystemProfilerApps, SYSTEM_PROFILER_APPS_ARGS } from '../parsers/software-macos';
import { parseRpmQuery, RPM_QUERY_ARGS } from '../parsers/software-rpm';
import { FLATPAK_LIST_ARGS, parseFlatpakList, parseSnapList } from '../parsers/software-snap-flatpak';
import { parseWindowsUninstall, WINDOWS_UNINSTALL_SCRIPT } from '../parsers/software-windows-registry';
import { chocoMajor, parseChocoList, parseWingetExport, WINGET_EXPORT_ARGS } from '../parsers/software-winget-choco';
import { parsePsJson, runPowerShell } from '../powershell';
import { runProgram, type ProgramOptions } from '../run-program';
import { brewAsOwner, findBrew } from '../deploy/installers/brew';

/*
 * Installed software from every package source this OS has. A source whose tool is missing or
 * fails contributes nothing: the inventory is whatever could be read, never an error.
 */

const OPTS: ProgramOptions = { timeoutMs: 120_000, maxBytes: 64 * 1024 * 1024 };

async function output(command: string, args: readonly string[], opts: ProgramOptions = OPTS): Promise<string | null> {
  const r = await runProgram(command, args, opts);
  return r.code === 0 ? r.stdout : null;
}

async function mtime(paths: string[]): Promise<number | null> {
  for (const p of paths) {
    try {
      return (await stat(p)).mtimeMs;
    } catch {
      // not this name (or not readable): try the next
    }
  }
  return null;
}

async function dpkg(): Promise<SoftwareItem[]> {
  const text = await output('dpkg-query', DPKG_QUERY_ARGS);
  if (text === null) return [];
  const items = parseDpkgQuery(text);
  return Promise.all(items.map(async (item) => ({ ...item, installedAt: await mtime(dpkgListFiles(item)) })));
}

async function linux(): Promise<SoftwareItem[][]> {
  const [deb, rpm, snap, flatpak] = await Promise.all([
    dpkg(),
    output('rpm', RPM_QUERY_ARGS),
    output('snap', ['list']),
    output('flatpak', FLATPAK_LIST_ARGS),
  ]);
  return [deb, rpm ? parseRpmQuery(rpm) : [], snap ? parseSnapList(snap) : [], flatpak ? parseFlatpakList(flatpak) : []];
}

/** Run as the owner of the Homebrew installation (it refuses root), whose software it lists anyway. */
async function homebrew(): Promise<SoftwareItem[]> {
  const home = findBrew();
  if (!home) return [];
  const argv = brewAsOwner(home, ['info', '--json=v2', '--installed']);
  const text = await output(argv.command, argv.args, { ...OPTS, env: { ...process.env, ...argv.env } });
  return text === null ? [] : parseBrewInfo(parsePsJson(text));
}

async function macos(): Promise<SoftwareItem[][]> {
  const [apps, brew] = await Promise.all([output('system_profiler', SYSTEM_PROFILER_APPS_ARGS, { ...OPTS, timeoutMs: 300_000 }), homebrew()]);
  return [apps ? parseSystemProfilerApps(parsePsJson(apps)) : [], brew];
}

/** winget writes its export to a file only; a fresh private directory holds it. */
async function winget(): Promise<SoftwareItem[]> {
  const dir = await mkdtemp(join(tmpdir(), 'tether-winget-'));
  try {
    const file = join(dir, 'export.json');
    const r = await runProgram('winget', [...WINGET_EXPORT_ARGS, file], OPTS);
    // winget exits non-zero when some installed packages are in no source, yet writes the rest.
    if (r.missing) return [];
    const text = await readFile(file, 'utf8').catch(() => null);
    return text === null ? [] : parseWingetExport(parsePsJson(text));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function choco(): Promise<SoftwareItem[]> {
  const version = await output('choco', ['--version'], { timeoutMs: 30_000 });
  const major = version === null ? null : chocoMajor(version);
  if (major === null) return [];
  const text = await output('choco', major < 2 ? ['list', '--local-only', '-r'] : ['list', '-r']);
  return text === null ? [] : parseChocoList(text);
}

async function windows(): Promise<SoftwareItem[][]> {
  const [registry, wg, ch] = await Promise.all([
    runPowerShell(WINDOWS_UNINSTALL_SCRIPT, { timeoutMs: 120_000 }),
    winget(),
    choco(),
  ]);
  return [registry.code === 0 ? parseWindowsUninstall(parsePsJson(registry.stdout)) : [], wg, ch];
}

/** Everything installed, from each source this platform has. */
export async function collectSoftware(platform = process.platform): Promise<SoftwareItem[]> {
  const groups = platform === 'linux' ? await linux() : platform === 'darwin' ? await macos() : platform === 'win32' ? await windows() : [];
  return softwareList(groups.flat());
}
