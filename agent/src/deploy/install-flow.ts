import type { DeployFailure, InstallPackageParams, PackageManifest, SignedManifest, UninstallPackageParams } from '../../../protocol/packages';
import { isFileInstaller } from '../../../protocol/packages';
import { describeError } from '../log';
import type { StreamName } from '../output-capture';
import type { RunningScript } from '../script-runner';
import { detected, installedVersion, PRESENT, sameVersion } from './detect';
import { Interrupted, type DeployContext, type Deployment } from './deployment';
import { DeployError } from './failure';
import { runDeployment } from './run-deployment';

/*
 * install_package: check the signed manifest, download and verify the file, install, check
 * that the software is there; when the install or the check fails, put the device back as it
 * was (remove what was not there, or reinstall the version that was).
 */

type Out = (stream: StreamName, data: string) => void;

/**
 * A deployment command. Every manifest it carries (the main one and the related version to
 * fall back to) is checked before anything is fetched or run, and the work waits for the
 * package-manager lock.
 */
function deploymentCommand<P extends { manifest: SignedManifest; timeoutSeconds: number }>(
  fallback: DeployFailure,
  role: string,
  related: (p: P) => SignedManifest | null,
  work: (d: Deployment, p: P, m: PackageManifest, other: PackageManifest | null) => Promise<void>,
): (id: string, p: P, ctx: DeployContext, out: Out) => RunningScript {
  return (id, p, ctx, out) =>
    runDeployment({ id, timeoutSeconds: p.timeoutSeconds, fallback }, ctx, out, async (d) => {
      const m = d.manifest(p.manifest);
      const signed = related(p);
      const other = signed ? d.manifest(signed, m, role) : null;
      await d.exclusive(() => work(d, p, m, other));
    });
}

export const installPackage = deploymentCommand<InstallPackageParams>('install_failed', 'previous', (p) => p.previous, install);

async function install(d: Deployment, p: InstallPackageParams, m: PackageManifest, previous: PackageManifest | null): Promise<void> {
  const file = isFileInstaller(m.installer) ? await d.packageFile(m, true) : null;
  d.before = await installedVersion(m.detection, m.installer);
  d.enter('installing');
  const ran = await d.install(m, file, true);
  let failure: DeployError | null = ran.ok ? null : new DeployError('install_failed', ran.error ?? 'the installer failed');
  if (!failure) {
    d.enter('checking');
    d.after = await installedVersion(m.detection, m.installer);
    if (!detected(m, d.after)) failure = new DeployError('detection_failed', `${m.name} ${m.version} is not there after the install (found ${d.after ?? 'nothing'})`);
  }
  if (!failure) {
    d.enter('succeeded');
    return;
  }
  if (!p.rollbackOnFailure) {
    d.after = await installedVersion(m.detection, m.installer);
    throw failure;
  }
  const problem = await rollBack(d, m, file, previous);
  if (problem) throw new DeployError(failure.failure, `${failure.message}; rollback failed: ${problem}`);
  throw failure;
}

/**
 * Installs an earlier version again (a rollback, an uninstall's restore) and checks it is
 * there; says what went wrong, or null. `main`: its exit code is the result's. `checking`:
 * the check is a step of its own, reached only when the installer succeeded.
 */
async function reinstall(d: Deployment, m: PackageManifest, opts: { main: boolean; checking: boolean }): Promise<DeployError | null> {
  const file = isFileInstaller(m.installer) ? await d.packageFile(m, false) : null;
  const ran = await d.install(m, file, opts.main);
  const failed = new DeployError('install_failed', `reinstalling ${m.version}: ${ran.error}`);
  if (opts.checking) {
    if (!ran.ok) return failed;
    d.enter('checking');
  }
  d.after = await installedVersion(m.detection, m.installer);
  if (!ran.ok) return failed;
  if (!detected(m, d.after)) return new DeployError('detection_failed', `${m.name} ${m.version} is not there after reinstalling it`);
  return null;
}

/** Puts back what was there before; says why it could not, or null once it did. */
async function rollBack(d: Deployment, m: PackageManifest, file: string | null, previous: PackageManifest | null): Promise<string | null> {
  d.enter('rolling_back');
  const fail = (why: string) => {
    d.enter('failed', why);
    return why;
  };
  try {
    if (d.before === null) {
      const removed = await d.uninstall(m, file);
      d.after = await installedVersion(m.detection, m.installer);
      if (!removed.ok) return fail(`removing ${m.name}: ${removed.error}`);
      if (d.after !== null) return fail(`${m.name} ${d.after} is still installed`);
      d.enter('rolled_back', `${m.name} removed`);
      return null;
    }
    if (!previous || !(d.before === PRESENT || sameVersion(d.before, previous.version))) {
      d.after = await installedVersion(m.detection, m.installer);
      return fail(`${m.name} ${d.before} was installed before, and the deployment names no such version to reinstall`);
    }
    const problem = await reinstall(d, previous, { main: false, checking: false });
    if (problem) return fail(problem.message);
    d.enter('rolled_back', `${previous.name} ${previous.version} reinstalled`);
    return null;
  } catch (err) {
    if (err instanceof Interrupted || (err instanceof DeployError && err.failure === 'timed_out')) throw err;
    return fail(err instanceof DeployError ? `${err.failure}: ${err.message}` : describeError(err));
  }
}

/**
 * uninstall_package: remove the manifest's software (only at the version the manifest names,
 * as its detection rule sees it); with `restore`, install that version afterwards.
 */
export const uninstallPackage = deploymentCommand<UninstallPackageParams>('uninstall_failed', 'restore', (p) => p.restore, uninstall);

async function uninstall(d: Deployment, _p: UninstallPackageParams, m: PackageManifest, restore: PackageManifest | null): Promise<void> {
  d.before = await installedVersion(m.detection, m.installer);
  if (detected(m, d.before)) {
    const file = await d.uninstallFile(m, true);
    d.enter('installing', `removing ${m.name} ${d.before}`);
    const removed = await d.uninstall(m, file);
    if (!removed.ok) throw new DeployError('uninstall_failed', removed.error ?? 'the uninstaller failed');
  } else {
    d.enter('installing', `${m.name} ${m.version} is not installed: nothing to remove`);
  }
  d.enter('checking');
  d.after = await installedVersion(m.detection, m.installer);
  if (detected(m, d.after)) throw new DeployError('uninstall_failed', `${m.name} ${d.after} is still installed`);
  if (restore) {
    d.enter('installing', `reinstalling ${restore.name} ${restore.version}`);
    const problem = await reinstall(d, restore, { main: true, checking: true });
    if (problem) throw problem;
  }
  d.enter('succeeded');
}
