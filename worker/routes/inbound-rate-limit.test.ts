import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, bootstrapTenant, type BootstrappedTenant } from '../../test/support';
import { insertChatIntegration } from '../../test/chat-fixtures';
import { INBOUND_PER_ADDRESS, IsolateRateLimiter } from '../lib/rate-limit';
import { slackSignature } from '../lib/integrations/slack-verify';
import { teamsSignature } from '../lib/integrations/teams-verify';

/* Slack's and Teams' public endpoints turn a flood away per address, before any signature check. */

const SLACK_SECRET = 'slack-signing-secret-for-limits';
const TEAMS_SECRET = btoa('teams-outgoing-secret-for-limits');

let t: BootstrappedTenant;
let slackId: string;
let teamsId: string;

beforeAll(async () => {
  t = await bootstrapTenant();
  slackId = await insertChatIntegration(t, 'slack', { webhookUrl: 'https://hooks.slack.com/services/T0/B0/limits', signingSecret: SLACK_SECRET });
  teamsId = await insertChatIntegration(t, 'teams', { webhookUrl: 'https://prod-00.westeurope.logic.azure.com/workflows/limits/triggers/manual/paths/invoke?sig=xyz', outgoingSecret: TEAMS_SECRET });
});

/* A fresh address per test, so no test spends another's bucket. */
const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}:${crypto.randomUUID().slice(0, 4)}`;

async function slackCommand(ip: string, signed: boolean) {
  const raw = new URLSearchParams({ command: '/tether', text: 'status', user_id: 'U_NOBODY' }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'cf-connecting-ip': ip };
  if (signed) headers['x-slack-signature'] = await slackSignature(SLACK_SECRET, ts, raw);
  return api(null, 'POST', `/api/v1/integrations/slack/${slackId}/commands`, raw, headers);
}

async function teamsMessage(ip: string, signed: boolean) {
  const raw = JSON.stringify({ type: 'message', id: crypto.randomUUID(), timestamp: new Date().toISOString(), text: '<at>Tether</at> help', from: { id: 'x' } });
  const headers: Record<string, string> = { 'cf-connecting-ip': ip };
  if (signed) headers.authorization = `HMAC ${await teamsSignature(TEAMS_SECRET, raw)}`;
  return api(null, 'POST', `/api/v1/integrations/teams/${teamsId}/outgoing`, raw, headers);
}

/** Sends `n` forged calls from `ip`; the statuses that came back, counted. */
async function flood(n: number, call: () => Promise<{ status: number }>): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (let i = 0; i < n; i++) {
    const { status } = await call();
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

describe('inbound chat calls: per-address gate', () => {
  // The clock stands still (the Worker runs in this isolate), so no token comes back mid-flood.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('Slack: a flood of unsigned calls gets 429 after the burst; another address signed still gets through', async () => {
    const attacker = address();
    const counts = await flood(INBOUND_PER_ADDRESS.burst + 5, () => slackCommand(attacker, false));
    expect(counts).toEqual({ 401: INBOUND_PER_ADDRESS.burst, 429: 5 });
    const limited = await slackCommand(attacker, true);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const slack = await slackCommand(address(), true);
    expect(slack.status).toBe(200);
    expect(slack.body.text).toContain('not linked');
  });

  it('Teams: the same gate, its own buckets', async () => {
    const attacker = address();
    const counts = await flood(INBOUND_PER_ADDRESS.burst + 2, () => teamsMessage(attacker, false));
    expect(counts).toEqual({ 401: INBOUND_PER_ADDRESS.burst, 429: 2 });
    expect((await teamsMessage(attacker, true)).status).toBe(429);
    const ok = await teamsMessage(address(), true);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ type: 'message', text: 'Try: @Tether status' });
  });
});

describe('IsolateRateLimiter', () => {
  it('spends the burst, then refills at the rate, per key, and says how long to wait', () => {
    const limiter = new IsolateRateLimiter({ burst: 2, perSecond: 4 });
    expect([limiter.take('a', 0), limiter.take('a', 0)]).toEqual([0, 0]);
    expect(limiter.take('a', 0)).toBe(250);
    expect(limiter.take('b', 0)).toBe(0);
    expect(limiter.take('a', 100)).toBe(150);
    expect(limiter.take('a', 250)).toBe(0);
    // A long pause refills no more than the burst.
    expect([limiter.take('a', 60_000), limiter.take('a', 60_000), limiter.take('a', 60_000)]).toEqual([0, 0, 250]);
  });
});
