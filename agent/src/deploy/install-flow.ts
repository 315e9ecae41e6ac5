import type { InstallPackageParams, PackageManifest, UninstallPackageParams } from '../../../protocol/packages';
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

export function installPackage(id: string, p: InstallPackageParams, ctx: DeployContext, out: Out): RunningScript {
  return runDeployment({ id, timeoutSeconds: p.timeoutSeconds, fallback: 'install_failed' }, ctx, out, (d) => install(d, p));
}

async function install(d: Deployment, p: InstallPackageParams): Promise<void> {
  // Every manifest is checked before anything is fetched or run.
  const m = d.manifest(p.manifest);
  const previous = p.previous ? d.manifest(p.previous, m, 'previous') : null;
  await d.exclusive(async () => {
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
  });
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
    const prevFile = isFileInstaller(previous.installer) ? await d.packageFile(previous, false) : null;
    const ran = await d.install(previous, prevFile, false);
    d.after = await installedVersion(previous.detection, previous.installer);
    if (!ran.ok) return fail(`reinstalling ${previous.version}: ${ran.error}`);
    if (!detected(previous, d.after)) return fail(`${previous.name} ${previous.version} is not there after reinstalling it`);
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
export function uninstallPackage(id: string, p: UninstallPackageParams, ctx: DeployContext, out: Out): RunningScript {
  return runDeployment({ id, timeoutSeconds: p.timeoutSeconds, fallback: 'uninstall_failed' }, ctx, out, (d) => uninstall(d, p));
}

async function uninstall(d: Deployment, p: UninstallPackageParams): Promise<void> {
  const m = d.manifest(p.manifest);
  const restore = p.restore ? d.manifest(p.restore, m, 'restore') : null;
  await d.exclusive(async () => {
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
      const file = isFileInstaller(restore.installer) ? await d.packageFile(restore, false) : null;
      const ran = await d.install(restore, file, true);
      if (!ran.ok) throw new DeployError('install_failed', `reinstalling ${restore.version}: ${ran.error}`);
      d.enter('checking');
      d.after = await installedVersion(restore.detection, restore.installer);
      if (!detected(restore, d.after)) throw new DeployError('detection_failed', `${restore.name} ${restore.version} is not there after reinstalling it`);
    }
    d.enter('succeeded');
  });
}
