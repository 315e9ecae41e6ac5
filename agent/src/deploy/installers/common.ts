import { posix, win32 } from 'node:path';
import type { PackageManifest } from '../../../../protocol/packages';
import { findExecutable } from '../../interpreters';
import type { ProgramResult } from '../../run-program';
import { failure } from '../../run-program';

/** One program and its argument vector: never a shell string. */
export interface Argv {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export interface InstallerContext {
  manifest: PackageManifest;
  /** The verified package file (file installers), named with the installer's extension. */
  file: string | null;
  /** Runs one program until the deployment's deadline; reports what it printed. */
  run(argv: Argv): Promise<ProgramResult>;
  /** Is this program on PATH? */
  has(command: string): boolean;
}

export interface InstallerOutcome {
  ok: boolean;
  exitCode: number | null;
  rebootRequired: boolean;
  error?: string;
}

export interface Installer {
  /** The file name ending the installer insists on (dnf and msiexec read it); file installers only. */
  extension?: string;
  /** Whether removing the software needs the package file (its name or uninstaller is inside). */
  uninstallNeedsFile(m: PackageManifest): boolean;
  install(ctx: InstallerContext): Promise<InstallerOutcome>;
  uninstall(ctx: InstallerContext): Promise<InstallerOutcome>;
}

/**
 * A value placed where a program reads operands. The manifest schema already forbids a
 * leading '-', but names also come from detection rules and package files: a name that a
 * program could take for an option is refused, whatever its origin.
 */
export function operand(value: string, what: string): string {
  if (!value || value.startsWith('-') || /[\0\r\n]/.test(value)) throw new Error(`refused ${what} "${value.slice(0, 80)}": it could be read as an option`);
  return value;
}

/** The package file: always the agent's own absolute path. */
export function fileOperand(file: string | null): string {
  if (!file || !(posix.isAbsolute(file) || win32.isAbsolute(file))) throw new Error('the installer needs the package file');
  return file;
}

export function requireFile(ctx: InstallerContext): string {
  return fileOperand(ctx.file);
}

/** Repository installers install by this name. */
export function repoName(m: PackageManifest): string {
  if (!m.repoName) throw new Error('the manifest has no repository name');
  return operand(m.repoName, 'package name');
}

/** The name the detection rule gives, when it is one the package manager would accept. */
export function detectionName(m: PackageManifest, pattern: RegExp): string | null {
  return m.detection.type === 'software' && pattern.test(m.detection.name) ? m.detection.name : null;
}

/** Judges a finished program by its exit code; `reboot` codes succeed but need a restart. */
export function judge(r: ProgramResult, what: string, reboot: readonly number[] = []): InstallerOutcome {
  if (r.code === 0) return { ok: true, exitCode: 0, rebootRequired: false };
  if (r.code !== null && reboot.includes(r.code)) return { ok: true, exitCode: r.code, rebootRequired: true };
  return { ok: false, exitCode: r.code, rebootRequired: false, error: failure(r, what) };
}

/** Windows installers' "succeeded, restart required" (ERROR_SUCCESS_REBOOT_REQUIRED, ..._INITIATED). */
export const WINDOWS_REBOOT_CODES = [3010, 1641] as const;

/** PATH lookup without a shell. */
export function onPath(command: string, env = process.env): boolean {
  return findExecutable(command, env) !== null;
}

/**
 * A package manager that installs by repository name at the manifest's version and removes by
 * name; it never needs the package file.
 */
export function repoInstaller(spec: {
  install: (name: string, version: string) => Argv;
  remove: (name: string) => Argv;
  /** How a failure names the program ("apt-get install"). */
  installLabel: string;
  removeLabel: string;
  reboot?: readonly number[];
}): Installer {
  return {
    uninstallNeedsFile: () => false,
    async install(ctx) {
      return judge(await ctx.run(spec.install(repoName(ctx.manifest), ctx.manifest.version)), spec.installLabel, spec.reboot);
    },
    async uninstall(ctx) {
      return judge(await ctx.run(spec.remove(repoName(ctx.manifest))), spec.removeLabel, spec.reboot);
    },
  };
}

/**
 * The package's own name, for removing it. Without the file the detection rule's name is used
 * when it is a valid package name; with the file at hand its header is trusted over the rule,
 * which may name the software loosely.
 */
export async function packageNameFromFile(ctx: InstallerContext, pattern: RegExp, field: (file: string) => Argv, kind: string): Promise<string> {
  const named = detectionName(ctx.manifest, pattern);
  if (named && !ctx.file) return named;
  const r = await ctx.run(field(requireFile(ctx)));
  const name = r.stdout.trim();
  if (r.code !== 0 || !pattern.test(name)) throw new Error(`cannot read the package name from the .${kind} file`);
  return name;
}
