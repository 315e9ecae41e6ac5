import type { CommandSpec } from '../../../protocol/api/commands';
import type { AuthContext, Db } from '../../types';
import type { PreparedCommand } from '../commands/prepare';

/**
 * An `install_patches` spec made ready to sign: the keys approved now (decisions, then the
 * tenant's / clients' policies), limited to `spec.keys` when given.
 */
export async function preparePatchInstall(db: Db, auth: Pick<AuthContext, 'tenantId' | 'clientIds'>, spec: Extract<CommandSpec, { type: 'install_patches' }>): Promise<PreparedCommand> {
  void db;
  void auth;
  throw new Error(`install_patches (${spec.reboot}): not built yet`);
}
