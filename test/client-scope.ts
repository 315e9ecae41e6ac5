import { addUser, api, type BootstrappedTenant, type UserFixture } from './support';

/** A second client of the tenant with its own site, and a technician limited to the first client. */
export interface ClientScope {
  other: { clientId: string; siteId: string };
  limited: UserFixture;
}

export async function secondClientAndLimitedUser(t: BootstrappedTenant): Promise<ClientScope> {
  const clientId = (await api(t, 'POST', '/clients', { name: 'Other client' })).body.id as string;
  const siteId = (await api(t, 'POST', '/sites', { clientId, name: 'Other HQ' })).body.id as string;
  return { other: { clientId, siteId }, limited: await addUser(t, 'technician', [t.clientId]) };
}
