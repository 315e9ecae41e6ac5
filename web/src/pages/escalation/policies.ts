import { api, call, fetchAll, type Data } from '../../api/client';

export type Policy = Data<(typeof api)['escalation-policies']['$get']>['items'][number];

export function loadPolicies(): Promise<Policy[]> {
  return fetchAll((cursor) => call(api['escalation-policies'].$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } })));
}
