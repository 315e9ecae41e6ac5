import type { CommandSpec } from '../../../protocol/api/commands';
import type { AuthContext, Db } from '../../types';
import type { PreparedCommand } from '../commands/prepare';

/**
 * A `deploy` spec made ready to sign: the version's signed manifest (and, for install and
 * rollback, the catalog's previous ready version) as install_package / uninstall_package.
 * Throws 404 for a version of another tenant and 409 for one that is not ready.
 */
export async function prepareDeploy(db: Db, auth: Pick<AuthContext, 'tenantId' | 'clientIds'>, spec: Extract<CommandSpec, { type: 'deploy' }>): Promise<PreparedCommand> {
  void db;
  void auth;
  throw new Error(`deploy ${spec.versionId}: not built yet`);
}
