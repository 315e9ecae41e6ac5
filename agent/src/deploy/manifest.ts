import * as v from 'valibot';
import type { KeyObject } from 'node:crypto';
import { INSTALLER_PLATFORM, isFileInstaller, MANIFEST_SIGNING_PREFIX, PackageManifest, type PackagePlatform, type SignedManifest } from '../../../protocol/packages';
import { firstIssue } from '../issues';
import { signatureHolds } from '../verify';
import { DeployError } from './failure';

/** This machine as manifests name platforms; null where no package can target it. */
export function packagePlatform(platform: NodeJS.Platform = process.platform): PackagePlatform | null {
  if (platform === 'linux') return 'linux';
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') return 'windows';
  return null;
}

export interface ManifestContext {
  key: KeyObject;
  tenantId: string;
  platform: PackagePlatform | null;
}

/**
 * A manifest the agent may act on: the tenant's signature over the domain-separated text holds
 * (so a signed command can never pass for a manifest), it is this tenant's, and it is meant for
 * this platform. Nothing in it is read before the signature holds.
 */
export function checkManifest(signed: SignedManifest, ctx: ManifestContext): PackageManifest {
  if (!signatureHolds({ payload: MANIFEST_SIGNING_PREFIX + signed.text, sig: signed.sig }, ctx.key)) {
    throw new DeployError('signature_failed', 'the package manifest is not signed by this tenant');
  }
  let json: unknown;
  try {
    json = JSON.parse(signed.text);
  } catch {
    throw new DeployError('signature_failed', 'the signed manifest is not JSON');
  }
  const parsed = v.safeParse(PackageManifest, json);
  if (!parsed.success) throw new DeployError('signature_failed', `the signed manifest is invalid: ${firstIssue(parsed.issues)}`);
  const m = parsed.output;
  if (m.tenantId !== ctx.tenantId) throw new DeployError('signature_failed', 'the manifest is signed for another tenant');
  if (INSTALLER_PLATFORM[m.installer] !== m.platform) throw new DeployError('signature_failed', `a ${m.installer} package cannot be for ${m.platform}`);
  if (isFileInstaller(m.installer) ? m.sha256 === null || m.size === null : m.repoName === null) {
    throw new DeployError('signature_failed', isFileInstaller(m.installer) ? 'the manifest has no file digest' : 'the manifest has no repository name');
  }
  if (m.platform !== ctx.platform) throw new DeployError('wrong_platform', `${m.name} ${m.version} is for ${m.platform}, this device runs ${ctx.platform ?? process.platform}`);
  return m;
}

/** The version to fall back to must be of the same package. */
export function checkRelated(main: PackageManifest, other: PackageManifest, role: string): void {
  if (other.packageId !== main.packageId) throw new DeployError('signature_failed', `the ${role} manifest is of another package`);
}
