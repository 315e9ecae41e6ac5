import { sql } from 'drizzle-orm';
import type { CommandSpec } from '../../../protocol/api/commands';
import type { InstallPatchesParams, RebootPolicy } from '../../../protocol/patches';
import type { AuthContext, Db } from '../../types';
import type { PreparedCommand } from '../commands/prepare';
import { patchesCte } from './approval';

/* InstallPatchesParams.keys holds at most this many. */
const MAX_KEYS = 5000;
export const INSTALL_NOTICE = 'Updates were installed by your IT provider';

const REBOOT_WORDS: Record<RebootPolicy, string> = { never: 'no reboot', if_needed: 'reboot if needed', always: 'then reboot' };

/**
 * An `install_patches` spec made ready to sign: the keys approved now (decisions, then the
 * tenant's / clients' policies) for at least one device the caller may see, limited to
 * `spec.keys` when given. A device is sent the whole list and installs what it is missing.
 */
export async function preparePatchInstall(db: Db, auth: Pick<AuthContext, 'tenantId' | 'clientIds'>, spec: Extract<CommandSpec, { type: 'install_patches' }>): Promise<PreparedCommand> {
  const only = spec.keys ? sql` AND key IN (SELECT value FROM json_each(${JSON.stringify(spec.keys)}))` : sql``;
  const rows = await db.all<{ key: string }>(
    sql`${patchesCte({ auth, now: Date.now() })} SELECT DISTINCT key FROM eff WHERE approval = 'approved'${only} ORDER BY key LIMIT ${MAX_KEYS}`,
  );
  const params: InstallPatchesParams = {
    keys: rows.map((r) => r.key),
    reboot: spec.reboot,
    noticeMinutes: spec.noticeMinutes,
    maxDeferrals: spec.maxDeferrals,
    message: INSTALL_NOTICE,
    timeoutSeconds: 3600,
  };
  const n = params.keys.length;
  return {
    type: 'install_patches',
    params,
    stored: params,
    secrets: {},
    label: `install ${n} approved update${n === 1 ? '' : 's'} (${REBOOT_WORDS[spec.reboot]})`,
    scriptId: null,
    scriptVersion: null,
  };
}
