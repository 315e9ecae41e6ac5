import { api, call, fetchAll, type Data } from '../../api/client';
import type { Integration } from '../../../../protocol/api/integrations';

export type Policy = Data<(typeof api)['escalation-policies']['$get']>['items'][number];
/** An integration a tier can post to (Slack, Teams, webhook). */
export type Channel = Integration;

export function loadPolicies(): Promise<Policy[]> {
  return fetchAll((cursor) => call(api['escalation-policies'].$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } })));
}
