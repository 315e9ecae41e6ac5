import { and, desc, eq, lt, ne, or } from 'drizzle-orm';
import { packages, packageVersions } from '../../../db/deploy-schema';
import type { CommandSpec } from '../../../protocol/api/commands';
import type { SignedManifest } from '../../../protocol/packages';
import type { AuthContext, Db } from '../../types';
import { ApiError, notFound } from '../errors';
import type { PreparedCommand } from '../commands/prepare';

type DeploySpec = Extract<CommandSpec, { type: 'deploy' }>;

/** The package version a spec deploys, for jobs.package_version_id (null for any other spec). */
export const packageVersionIdOf = (spec: CommandSpec): string | null => (spec.type === 'deploy' ? spec.versionId : null);

const signed = (r: { manifest: string | null; manifestSig: string | null }): SignedManifest => ({ text: r.manifest!, sig: r.manifestSig! });

/**
 * A `deploy` spec made ready to sign: the version's signed manifest (and, for install and
 * rollback, the catalog's previous ready version) as install_package / uninstall_package.
 * Throws 404 for a version of another tenant and 409 for one that is not ready. The catalog
 * is tenant-wide, so the caller's client limit does not narrow it.
 */
export async function prepareDeploy(db: Db, auth: Pick<AuthContext, 'tenantId' | 'clientIds'>, spec: DeploySpec): Promise<PreparedCommand> {
  const row = await db
    .select({ pkg: packages, version: packageVersions })
    .from(packageVersions)
    .innerJoin(packages, eq(packages.id, packageVersions.packageId))
    .where(and(eq(packageVersions.tenantId, auth.tenantId), eq(packages.tenantId, auth.tenantId), eq(packageVersions.id, spec.versionId)))
    .get();
  if (!row) throw notFound('package version');
  const { pkg, version } = row;
  if (version.status !== 'ready' || !version.manifest || !version.manifestSig || version.readyAt === null) {
    throw new ApiError(409, 'not_ready', `${pkg.name} ${version.version} is ${version.status}, not ready to deploy`);
  }
  const manifest = signed(version);
  const what = `${pkg.name} ${version.version} (${pkg.installer})`;
  const base = { secrets: {}, scriptId: null, scriptVersion: null };

  if (spec.action === 'uninstall') {
    const params = { manifest, restore: null, timeoutSeconds: 1800 };
    return { ...base, type: 'uninstall_package', params, stored: params, label: `uninstall ${what}` };
  }
  // The version the catalog had ready before this one: what a failed install or a rollback returns to.
  const prev = await db
    .select({ version: packageVersions.version, manifest: packageVersions.manifest, manifestSig: packageVersions.manifestSig })
    .from(packageVersions)
    .where(
      and(
        eq(packageVersions.tenantId, auth.tenantId),
        eq(packageVersions.packageId, pkg.id),
        eq(packageVersions.status, 'ready'),
        ne(packageVersions.id, version.id),
        or(lt(packageVersions.readyAt, version.readyAt), and(eq(packageVersions.readyAt, version.readyAt), lt(packageVersions.id, version.id))),
      ),
    )
    .orderBy(desc(packageVersions.readyAt), desc(packageVersions.id))
    .get();
  const previous = prev?.manifest && prev.manifestSig ? signed(prev) : null;
  if (spec.action === 'rollback') {
    const params = { manifest, restore: previous, timeoutSeconds: 1800 };
    return { ...base, type: 'uninstall_package', params, stored: params, label: `roll back ${what}${prev ? ` to ${prev.version}` : ''}` };
  }
  const params = { manifest, previous, rollbackOnFailure: true, timeoutSeconds: 1800 };
  return { ...base, type: 'install_package', params, stored: params, label: `install ${what}` };
}
