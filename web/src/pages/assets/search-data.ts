import type { CreateSavedSearch, FleetQuery, FleetSearchPage, FleetSearchRow, SavedSearch } from '../../../../protocol/api/fleet-search';
import type { FleetSoftwareRow } from '../../../../protocol/api/inventory';
import { api, call, fetchAll } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import type { Page } from '../../lib/paged-list';
import { compact, queryString } from '../../lib/query';

export type { FleetQuery, FleetSearchPage, FleetSearchRow, SavedSearch, FleetSoftwareRow };

export function runSearch(query: FleetQuery, cursor?: string): Promise<FleetSearchPage> {
  return call(api.inventory.search.$post({ json: { query, limit: 100, ...(cursor ? { cursor } : {}) } }));
}

/** The same rows as CSV: a POST (the query is a body), saved through a temporary link. */
export async function downloadSearchCsv(query: FleetQuery): Promise<void> {
  const res = await fetch('/api/v1/inventory/search.csv', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  if (!res.ok) throw await ApiFailure.fromResponse(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = 'fleet-search.csv';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function listSavedSearches(): Promise<SavedSearch[]> {
  return fetchAll((cursor) => call(api.searches.$get({ query: compact({ cursor, limit: '200' }) as never })));
}

export function loadSavedSearch(id: string): Promise<SavedSearch> {
  return call(api.searches[':id'].$get({ param: { id } }));
}

export function createSavedSearch(json: CreateSavedSearch): Promise<SavedSearch> {
  return call(api.searches.$post({ json }));
}

export function updateSavedSearch(id: string, json: Partial<CreateSavedSearch>): Promise<SavedSearch> {
  return call(api.searches[':id'].$patch({ param: { id }, json }));
}

export function deleteSavedSearch(id: string): Promise<void> {
  return call(api.searches[':id'].$delete({ param: { id } })) as Promise<void>;
}

export type FleetSoftware = FleetSoftwareRow & { id: string };

export async function listFleetSoftware(q: { q?: string; clientId?: string }, cursor?: string): Promise<Page<FleetSoftware>> {
  const page = await call(api.inventory.software.$get({ query: compact({ ...q, cursor, limit: '100' }) as never }));
  return { items: page.items.map((r) => ({ ...r, id: r.name })), nextCursor: page.nextCursor };
}

export const fleetSoftwareCsvUrl = (q: { q?: string; clientId?: string }) => `/api/v1/inventory/software.csv${queryString(q)}`;
