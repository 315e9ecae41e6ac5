import { api, call, fetchAll, type Data } from '../../api/client';

export type Policy = Data<(typeof api)['escalation-policies']['$get']>['items'][number];
/** An integration a tier can post to (Slack, Teams, webhook). */
export type Channel = Data<(typeof api)['integrations']['$get']>['items'][number];

export function loadPolicies(): Promise<Policy[]> {
  return fetchAll((cursor) => call(api['escalation-policies'].$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } })));
}

export function loadChannels(): Promise<Channel[]> {
  return fetchAll((cursor) => call(api.integrations.$get({ query: { limit: '200', ...(cursor ? { cursor } : {}) } })));
}
