import { api, call, fetchAll } from '../../api/client';
import type { Integration, IntegrationKind, NotificationPolicy } from '../../../../protocol/api/integrations';

export const KIND_LABEL: Record<IntegrationKind, string> = { slack: 'Slack', teams: 'Microsoft Teams', webhook: 'Webhook' };

export function loadIntegrations(): Promise<Integration[]> {
  return fetchAll((cursor) => call(api.integrations.$get({ query: { limit: '200', ...(cursor ? { cursor } : {}) } })));
}

export function loadNotificationPolicies(): Promise<NotificationPolicy[]> {
  return fetchAll((cursor) => call(api['notification-policies'].$get({ query: { limit: '500', ...(cursor ? { cursor } : {}) } })));
}
