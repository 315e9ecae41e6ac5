import { api, call, fetchAll } from '../../api/client';
import type { Integration, NotificationPolicy } from '../../../../protocol/api/integrations';

export function loadIntegrations(): Promise<Integration[]> {
  return fetchAll((cursor) => call(api.integrations.$get({ query: { limit: '200', ...(cursor ? { cursor } : {}) } })));
}

export function loadNotificationPolicies(): Promise<NotificationPolicy[]> {
  return fetchAll((cursor) => call(api['notification-policies'].$get({ query: { limit: '500', ...(cursor ? { cursor } : {}) } })));
}
