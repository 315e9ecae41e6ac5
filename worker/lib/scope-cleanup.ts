import { and, eq, type SQL } from 'drizzle-orm';
import { checkSetAssignments, maintenanceWindows } from '../../db/schema';
import { patchPolicies } from '../../db/deploy-schema';
import type { Db } from '../types';

/*
 * What names a client, site or group as its scope goes with it: check-set assignments and
 * maintenance windows that could never apply again would otherwise linger in the editors
 * with no name. Statements for the same batch as the delete, under the same guard.
 */
export function scopeLeftovers(db: Db, tenantId: string, scopeType: 'client' | 'site' | 'group', scopeId: string, guard?: SQL) {
  return [
    db
      .delete(checkSetAssignments)
      .where(and(eq(checkSetAssignments.tenantId, tenantId), eq(checkSetAssignments.scopeType, scopeType), eq(checkSetAssignments.scopeId, scopeId), guard)),
    db
      .delete(maintenanceWindows)
      .where(and(eq(maintenanceWindows.tenantId, tenantId), eq(maintenanceWindows.scopeType, scopeType), eq(maintenanceWindows.scopeId, scopeId), guard)),
    // A client's own patch approval policy.
    ...(scopeType === 'client' ? [db.delete(patchPolicies).where(and(eq(patchPolicies.tenantId, tenantId), eq(patchPolicies.clientId, scopeId), guard))] : []),
  ] as const;
}
