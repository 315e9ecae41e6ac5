import type { Api } from '../sim/api';
import type { SimAgent } from '../sim/agent';
import { forEachLimited, sleep } from '../sim/pool';
import { hostnameOf } from '../sim/synthetic';
import { CPU_BREACH, CPU_CHECK_NAME } from './checks';
import type { DashboardFeed } from './feed';
import { clearWave, opened, sendWave, tallyWave, WAIT_MS } from './latency';
import type { DeskRun } from './result';
import { SlackReceiver } from './slack-receiver';

/*
 * The desk part: an alert→ticket rule and a Slack integration set up through the public
 * API, as a tenant would, with a local receiver in Slack's place. Only the hostname links a
 * ticket frame or a Slack message to the device, so the rule's title carries it.
 */

const TITLE_TEMPLATE = '{{alert.checkName}} on {{device.hostname}}';
const titleOf = (a: SimAgent) => `${CPU_CHECK_NAME} on ${hostnameOf(a.device.index)}`;
/* Reading the rows back is a check, not a measurement: gently. */
const VERIFY_CONCURRENCY = 8;

export interface Desk {
  receiver: SlackReceiver;
  integrationId: string;
  ruleId: string;
}

async function create(api: Api, path: string, body: unknown): Promise<string> {
  const res = await api.call<{ id?: string }>('POST', path, body);
  if (res.status !== 201 || !res.body.id) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body.id;
}

/** Receiver, Slack integration, a policy sending opened alerts to it, and the ticket rule. */
export async function setupDesk(api: Api): Promise<Desk> {
  const receiver = await SlackReceiver.start();
  try {
    const integrationId = await create(api, '/api/v1/integrations', {
      kind: 'slack',
      name: 'Bench Slack',
      config: { webhookUrl: `${receiver.url}/services/bench` },
    });
    await create(api, '/api/v1/notification-policies', { name: 'Bench alerts to Slack', events: ['alert.opened'], integrationIds: [integrationId] });
    const ruleId = await create(api, '/api/v1/ticket-rules', { name: 'bench', titleTemplate: TITLE_TEMPLATE });
    return { receiver, integrationId, ruleId };
  } catch (err) {
    await receiver.close();
    throw err;
  }
}

/** Switches the rule and the integration off so later parts measure monitoring alone. */
export async function teardownDesk(api: Api, desk: Desk): Promise<void> {
  await api.call('PATCH', `/api/v1/ticket-rules/${desk.ruleId}`, { enabled: false }).catch(() => undefined);
  await api.call('PATCH', `/api/v1/integrations/${desk.integrationId}`, { enabled: false }).catch(() => undefined);
  await desk.receiver.close();
}

/** Devices whose newest ticket, as the API lists it, is the one the rule opened for them. */
async function countRows(api: Api, agents: SimAgent[]): Promise<number> {
  let rows = 0;
  await forEachLimited(agents, VERIFY_CONCURRENCY, async (a) => {
    const res = await api
      .call<{ items?: { title?: string }[] }>('GET', `/api/v1/tickets?deviceId=${a.device.deviceId}&limit=1`)
      .catch(() => null);
    if (res?.status === 200 && res.body.items?.[0]?.title === titleOf(a)) rows++;
  });
  return rows;
}

/**
 * Breach → ticket and → Slack message for fresh devices (their first alert, so no dedup
 * window or flap detection is involved), spread or burst as in the latency part; then the
 * clear, so the devices leave no open alert behind.
 */
export async function measureDesk(api: Api, feed: DashboardFeed, desk: Desk, agents: SimAgent[], mode: DeskRun['mode'], perSecond: number): Promise<DeskRun> {
  const gapMs = mode === 'spread' ? 1000 / perSecond : 0;
  const results = await sendWave(agents, CPU_BREACH, gapMs, (a) => ({
    alert: feed.waitFor(a.device.deviceId, opened, WAIT_MS),
    ticket: feed.waitForTicket(titleOf(a), WAIT_MS),
    slack: desk.receiver.waitFor(hostnameOf(a.device.index), 'Open', WAIT_MS),
  }));
  const [alert, ticket, slack] = (['alert', 'ticket', 'slack'] as const).map((k) => tallyWave(results, k));
  const ticketRows = await countRows(api, agents);
  await sleep(2000);
  await clearWave(feed, agents, gapMs);
  for (const a of agents) a.cpuOverride = null;
  return {
    mode,
    devices: agents.length,
    perSecond: mode === 'spread' ? perSecond : null,
    alert: alert!.latency,
    ticket: ticket!.latency,
    slack: slack!.latency,
    missingAlert: alert!.missing,
    missingTicket: ticket!.missing,
    missingSlack: slack!.missing,
    ticketRows,
  };
}
