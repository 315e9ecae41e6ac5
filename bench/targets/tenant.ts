import { bootstrapIfNeeded, createApiToken } from '../../scripts/lib/platform';

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/**
 * A fresh platform's tenant, an API token, and one enrollment key that the whole simulated
 * fleet shares (maxUses = the fleet size), as an MSP would roll out a site.
 */
export async function prepareTenant(url: string, maxUses: number): Promise<{ apiToken: string; enrollKey: string; sessionCookie: string }> {
  const first = await bootstrapIfNeeded(url, { tenantName: 'Bench MSP', name: 'Bench Owner', email: 'owner@bench.test' });
  if (!first) throw new Error('the bench expected a fresh platform (bootstrap was already done)');
  const apiToken = await createApiToken(url, first.cookie, 'bench');
  const auth = { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' };
  const clients = await json<{ items: { id: string }[] }>(await fetch(`${url}/api/v1/clients?limit=1`, { headers: auth }));
  const clientId = clients.items[0]?.id;
  if (!clientId) throw new Error('bootstrap made no client');
  const sites = await json<{ items: { id: string }[] }>(await fetch(`${url}/api/v1/sites?clientId=${clientId}`, { headers: auth }));
  const siteId = sites.items[0]?.id;
  if (!siteId) throw new Error('bootstrap made no site');
  const { key } = await json<{ key: string }>(
    await fetch(`${url}/api/v1/enrollment-keys`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'bench fleet', clientId, siteId, expiresInHours: 24, maxUses }),
    }),
  );
  // The owner's session stays for the dashboard feed, which takes a cookie, not a token.
  return { apiToken, enrollKey: key, sessionCookie: first.cookie };
}
