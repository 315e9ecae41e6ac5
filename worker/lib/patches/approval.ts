import { sql, type SQL } from 'drizzle-orm';
import { DEFAULT_PATCH_POLICY, type Approval } from '../../../protocol/api/patches';
import type { AuthContext } from '../../types';
import { deviceScope } from '../device-query';

const DAY_MS = 86_400_000;

/*
 * Effective approval, in SQL, so one statement answers it for every missing update of a
 * whole fleet. For each row of device_patches: the tenant's decision on the key, else the
 * policy of the device's client (its override, else the tenant's row client_id '', else
 * DEFAULT_PATCH_POLICY), whose rule for the classification (or `otherwise`) says: auto →
 * approved once the key has been seen for afterDays, manual → pending, decline → declined.
 *
 * `patchesCte` yields `WITH vis(device_id, client_id), eff(...)`; callers select from eff.
 * eff has every device_patches column plus client_id, decision, decided_by, decided_at,
 * approval and approval_source.
 */

export interface PatchScope {
  auth: Pick<AuthContext, 'tenantId' | 'clientIds'>;
  /** Extra condition on the `devices` table (a client, one device). */
  devices?: SQL;
  now: number;
}

function visibleDevices(scope: PatchScope): SQL {
  const auth = scope.auth as AuthContext;
  return sql`SELECT devices.id AS device_id, devices.client_id AS client_id FROM devices WHERE ${deviceScope(auth)}${scope.devices ? sql` AND ${scope.devices}` : sql``}`;
}

export function patchesCte(scope: PatchScope): SQL {
  const tenantId = scope.auth.tenantId;
  return sql`WITH vis AS (${visibleDevices(scope)}),
    pol AS (
      SELECT c.client_id AS client_id,
        COALESCE((SELECT p.policy FROM patch_policies p WHERE p.tenant_id = ${tenantId} AND p.client_id IN (c.client_id, '') ORDER BY p.client_id = '' LIMIT 1), ${JSON.stringify(DEFAULT_PATCH_POLICY)}) AS policy
      FROM (SELECT DISTINCT client_id FROM vis) c
    ),
    ruled AS (
      SELECT dp.*, vis.client_id AS client_id, a.decision AS decision, a.decided_by AS decided_by, a.decided_at AS decided_at,
        COALESCE(json_extract(pol.policy, '$.rules.' || dp.classification), json_extract(pol.policy, '$.otherwise')) AS rule
      FROM device_patches dp
      JOIN vis ON vis.device_id = dp.device_id
      JOIN pol ON pol.client_id = vis.client_id
      LEFT JOIN patch_approvals a ON a.tenant_id = dp.tenant_id AND a.key = dp.key
      WHERE dp.tenant_id = ${tenantId}
    ),
    eff AS (
      SELECT ruled.*,
        CASE
          WHEN decision IS NOT NULL THEN decision
          WHEN json_extract(rule, '$.action') = 'decline' THEN 'declined'
          WHEN json_extract(rule, '$.action') = 'auto' AND ${scope.now} - first_seen_at >= COALESCE(json_extract(rule, '$.afterDays'), 0) * ${DAY_MS} THEN 'approved'
          ELSE 'pending'
        END AS approval,
        CASE WHEN decision IS NOT NULL THEN 'decision' ELSE 'policy' END AS approval_source
      FROM ruled
    )`;
}

/** Orders approvals for a fleet row: an update approved for any device counts as approved. */
export const APPROVAL_RANK_SQL = sql.raw(`CASE approval WHEN 'approved' THEN 2 WHEN 'pending' THEN 1 ELSE 0 END`);
export const APPROVAL_BY_RANK: Approval[] = ['declined', 'pending', 'approved'];
