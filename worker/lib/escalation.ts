import { sql, type SQL } from 'drizzle-orm';

/** The condition "escalation policy `id` exists in the tenant" (for guarded writes). */
export function policyExists(tenantId: string, id: string): SQL {
  return sql`EXISTS (SELECT 1 FROM escalation_policies p WHERE p.id = ${id} AND p.tenant_id = ${tenantId})`;
}

/** The condition "no check set of the tenant names escalation policy `id`". */
export function policyUnused(tenantId: string, id: string): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM check_sets s WHERE s.escalation_policy_id = ${id} AND s.tenant_id = ${tenantId})`;
}
