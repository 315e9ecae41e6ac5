import { api, call, fetchAll, type Data } from '../api/client';

/** Clients and sites: small lists that forms across the app pick from. */
export type Client = Data<typeof api.clients.$get>['items'][number];
export type Site = Data<typeof api.sites.$get>['items'][number];

export function loadClients(): Promise<Client[]> {
  return fetchAll((cursor) => call(api.clients.$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } })));
}

export function loadSites(clientId?: string): Promise<Site[]> {
  return fetchAll((cursor) =>
    call(api.sites.$get({ query: { limit: '1000', ...(clientId ? { clientId } : {}), ...(cursor ? { cursor } : {}) } })),
  );
}
