import { describe, expect, it } from 'vitest';
import type { IntegrationEvent } from '../../../protocol/api/integrations';
import { inTimeOfDay, routeEvent, type RoutingPolicy } from './routing';
import { retryDelay } from '../../../durable/tenant/outbox';

// Monday 2026-11-30, 22:30 UTC = Monday 23:30 in Berlin (CET) = Monday 17:30 in New York.
const MON_2230_UTC = Date.UTC(2026, 10, 30, 22, 30);
const event = (over: Partial<IntegrationEvent> = {}): IntegrationEvent => ({
  id: 'alr_1:alert.opened:1',
  type: 'alert.opened',
  at: MON_2230_UTC,
  tenantId: 'ten_1',
  clientId: 'cli_a',
  severity: 'critical',
  data: {},
  ...over,
});
const policy = (over: Partial<RoutingPolicy> = {}): RoutingPolicy => ({
  enabled: true,
  events: [],
  severities: [],
  clientIds: null,
  timeOfDay: null,
  integrationIds: ['itg_1'],
  ...over,
});

describe('notification routing', () => {
  it('reads periods in their own time zone, across midnight onto the next day', () => {
    const night = { days: [1], start: '22:00', end: '06:00', timezone: 'Europe/Berlin' };
    expect(inTimeOfDay(night, MON_2230_UTC)).toBe(true); // Monday 23:30 local
    expect(inTimeOfDay(night, MON_2230_UTC + 4 * 3600_000)).toBe(true); // Tuesday 03:30, the Monday night still
    expect(inTimeOfDay(night, MON_2230_UTC + 8 * 3600_000)).toBe(false); // Tuesday 07:30
    expect(inTimeOfDay({ ...night, days: [2] }, MON_2230_UTC)).toBe(false);
    const office = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', timezone: 'America/New_York' };
    expect(inTimeOfDay(office, MON_2230_UTC)).toBe(true); // 17:30
    expect(inTimeOfDay(office, MON_2230_UTC + 3600_000)).toBe(false); // 18:30
  });

  it('joins the integrations of every matching enabled policy, once each', () => {
    const policies = [
      policy({ events: ['alert.opened'], severities: ['critical'], integrationIds: ['itg_1', 'itg_2'] }),
      policy({ clientIds: ['cli_a'], integrationIds: ['itg_2', 'itg_3'] }),
      policy({ clientIds: ['cli_b'], integrationIds: ['itg_4'] }),
      policy({ enabled: false, integrationIds: ['itg_5'] }),
      policy({ severities: ['info'], integrationIds: ['itg_6'] }),
    ];
    expect(routeEvent(policies, event()).sort()).toEqual(['itg_1', 'itg_2', 'itg_3']);
    // Events without a severity pass severity filters; a client filter needs a client.
    expect(routeEvent(policies, event({ type: 'device.offline', severity: undefined })).sort()).toEqual(['itg_2', 'itg_3', 'itg_6']);
    expect(routeEvent(policies, event({ type: 'device.offline', severity: undefined, clientId: null })).sort()).toEqual(['itg_6']);
  });

  it('waits 30 s after the first failure, doubling, jittered ±20 %, at most an hour', () => {
    expect(retryDelay(1, 0.5)).toBe(30_000);
    expect(retryDelay(1, 0)).toBe(24_000);
    expect(retryDelay(1, 1)).toBe(36_000);
    expect(retryDelay(3, 0.5)).toBe(120_000);
    expect(retryDelay(8, 0.5)).toBe(3600_000);
    expect(retryDelay(40, 1)).toBe(3600_000);
  });
});
