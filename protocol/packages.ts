import * as v from 'valibot';

/*
 * Software deployment, as agent and server both see it. A package version's manifest is a
 * JSON text signed with the tenant's Ed25519 key (the key that signs commands) over
 * MANIFEST_SIGNING_PREFIX + text, so a manifest can never pass for a command or the reverse.
 * The agent checks the signature, then the downloaded bytes against `sha256` and `size`,
 * before anything is installed.
 */

export const MANIFEST_SIGNING_PREFIX = 'tether-package-manifest-v1\n';

export const PackagePlatform = v.picklist(['linux', 'macos', 'windows']);
export type PackagePlatform = v.InferOutput<typeof PackagePlatform>;

/**
 * File installers need an upload (deb, rpm, pkg, msi, exe); the rest install by name from a
 * repository the device already trusts (apt, dnf, Homebrew, winget, Chocolatey).
 */
export const FILE_INSTALLERS = ['deb', 'rpm', 'pkg', 'msi', 'exe'] as const;
export const REPO_INSTALLERS = ['apt', 'dnf', 'brew', 'winget', 'choco'] as const;
export const InstallerType = v.picklist([...FILE_INSTALLERS, ...REPO_INSTALLERS]);
export type InstallerType = v.InferOutput<typeof InstallerType>;
export const isFileInstaller = (t: InstallerType): boolean => (FILE_INSTALLERS as readonly string[]).includes(t);

/** Which platform each installer runs on (a version's platform must agree). */
export const INSTALLER_PLATFORM: Record<InstallerType, PackagePlatform> = {
  deb: 'linux',
  rpm: 'linux',
  apt: 'linux',
  dnf: 'linux',
  pkg: 'macos',
  brew: 'macos',
  msi: 'windows',
  exe: 'windows',
  winget: 'windows',
  choco: 'windows',
};

/** A repository package name / id: letters, digits and . _ + - @ / : only (never an option, never a path escape). */
export const RepoName = v.pipe(v.string(), v.minLength(1), v.maxLength(200), v.regex(/^[A-Za-z0-9][A-Za-z0-9._+@/:-]*$/, 'not a package name'));
export const PackageVersionText = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100), v.regex(/^[A-Za-z0-9][A-Za-z0-9._+~:-]*$/, 'not a version'));
/** Installer arguments go to the installer as an argument vector, never through a shell. */
export const InstallerArgs = v.pipe(v.array(v.pipe(v.string(), v.maxLength(1024), v.regex(/^[^\0\r\n]*$/, 'one line'))), v.maxLength(32));

/**
 * How the agent knows the install worked: the named software at (at least / exactly) the
 * version, as its software inventory sees it; or a file present (Windows/macOS installers
 * that do not register with a package manager).
 */
export const DetectionRule = v.variant('type', [
  v.object({
    type: v.literal('software'),
    /** Name as the software inventory lists it (dpkg/rpm name, app name, uninstall DisplayName). */
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(300)),
    /** 'exact': the manifest's version; 'atLeast': that version or newer; 'any': present at all. */
    match: v.optional(v.picklist(['exact', 'atLeast', 'any']), 'exact'),
  }),
  v.object({
    type: v.literal('file'),
    path: v.pipe(v.string(), v.minLength(2), v.maxLength(1024), v.check((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'an absolute path')),
  }),
]);
export type DetectionRule = v.InferOutput<typeof DetectionRule>;

export const Sha256Hex = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex'));

export const PackageManifest = v.object({
  v: v.literal(1),
  tenantId: v.pipe(v.string(), v.minLength(8), v.maxLength(64)),
  packageId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  versionId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  version: PackageVersionText,
  platform: PackagePlatform,
  installer: InstallerType,
  /** Repository installers: the name to install (apt/dnf/brew package, winget/choco id). */
  repoName: v.nullable(RepoName),
  /** File installers: what was uploaded (already stripped of any path), its size and digest. */
  fileName: v.nullable(v.pipe(v.string(), v.maxLength(255))),
  size: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))),
  sha256: v.nullable(Sha256Hex),
  /** Extra installer arguments (exe: the silent switches; msi: properties). */
  silentArgs: InstallerArgs,
  /** Arguments for an exe's uninstaller, when the package can be removed that way. */
  uninstallArgs: InstallerArgs,
  detection: DetectionRule,
  signedAt: v.number(),
});
export type PackageManifest = v.InferOutput<typeof PackageManifest>;

export const SignedManifest = v.object({
  /** The exact JSON text that was signed. */
  text: v.pipe(v.string(), v.maxBytes(16 * 1024)),
  sig: v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]{86}==$/)),
});
export type SignedManifest = v.InferOutput<typeof SignedManifest>;

/**
 * install_package: download (file installers, from `/agent/packages/<versionId>` with the
 * device token, resuming a partial file), verify, install, detect; on failure roll back
 * (uninstall what was not there before, or reinstall `previous` when the device had it).
 */
export const InstallPackageParams = v.object({
  manifest: SignedManifest,
  /** The catalog version before this one, to reinstall if the install fails over it. */
  previous: v.optional(v.nullable(SignedManifest), null),
  rollbackOnFailure: v.optional(v.boolean(), true),
  timeoutSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(60), v.maxValue(6 * 3600)), 1800),
});
export type InstallPackageParams = v.InferOutput<typeof InstallPackageParams>;

/**
 * uninstall_package: remove the manifest's software; with `restore`, reinstall that version
 * afterwards (a rollback to the version the device had before).
 */
export const UninstallPackageParams = v.object({
  manifest: SignedManifest,
  restore: v.optional(v.nullable(SignedManifest), null),
  timeoutSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(60), v.maxValue(6 * 3600)), 1800),
});
export type UninstallPackageParams = v.InferOutput<typeof UninstallPackageParams>;

/** A deployment's per-device steps; the last three are final. */
export const DeployStep = v.picklist(['pending', 'downloading', 'verifying', 'installing', 'checking', 'rolling_back', 'succeeded', 'failed', 'rolled_back']);
export type DeployStep = v.InferOutput<typeof DeployStep>;
export const FINAL_DEPLOY_STEPS: readonly DeployStep[] = ['succeeded', 'failed', 'rolled_back'];

/** Why a deployment failed on a device: the first word of the done frame's error. */
export const DeployFailure = v.picklist([
  'signature_failed',
  'wrong_platform',
  'download_failed',
  'integrity_failed',
  'install_failed',
  'detection_failed',
  'uninstall_failed',
  'timed_out',
]);
export type DeployFailure = v.InferOutput<typeof DeployFailure>;

/** install_package / uninstall_package output (stdout, one JSON document). */
export const InstallResult = v.object({
  name: v.string(),
  version: v.string(),
  outcome: v.picklist(['succeeded', 'failed', 'rolled_back']),
  failure: v.nullable(DeployFailure),
  /** Version present before and after (null: absent). */
  before: v.nullable(v.string()),
  after: v.nullable(v.string()),
  steps: v.array(v.object({ step: DeployStep, at: v.number(), detail: v.optional(v.string()) })),
  /** The installer's exit code, when it ran. */
  installerExit: v.nullable(v.number()),
  rebootRequired: v.boolean(),
});
export type InstallResult = v.InferOutput<typeof InstallResult>;
