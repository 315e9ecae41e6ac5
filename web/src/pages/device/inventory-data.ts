import type * as v from 'valibot';
import type { ChangeRecord, ChangesQuery, DeviceInventoryView, InstalledSoftware, SoftwareListQuery } from '../../../../protocol/api/inventory';
import { api, call } from '../../api/client';
import type { Page } from '../../lib/paged-list';
import { compact, queryString } from '../../lib/query';

export type { ChangeRecord, DeviceInventoryView, InstalledSoftware };
export type SoftwareQuery = Omit<v.InferInput<typeof SoftwareListQuery>, 'cursor' | 'limit'>;
export type ChangesFilter = Omit<v.InferInput<typeof ChangesQuery>, 'cursor' | 'limit' | 'clientId'>;
/** A software row keyed for the paged list (its software key is its identity). */
export type SoftwareRow = InstalledSoftware & { id: string };

export function loadInventory(id: string): Promise<DeviceInventoryView> {
  return call(api.devices[':id'].inventory.$get({ param: { id } }));
}

export async function listSoftware(id: string, q: SoftwareQuery, cursor?: string): Promise<Page<SoftwareRow>> {
  const page = await call(api.devices[':id'].software.$get({ param: { id }, query: compact({ ...q, cursor, limit: '100' }) as never }));
  return { items: page.items.map((s) => ({ ...s, id: s.key })), nextCursor: page.nextCursor };
}

export function listChanges(id: string, q: ChangesFilter, cursor?: string): Promise<Page<ChangeRecord>> {
  return call(api.devices[':id'].changes.$get({ param: { id }, query: compact({ ...q, cursor, limit: '200' }) as never }));
}

export const deviceCsvUrl = (id: string, list: 'software' | 'changes', q: Record<string, string | undefined>) =>
  `/api/v1/devices/${encodeURIComponent(id)}/${list}.csv${queryString(q)}`;
export const sbomUrl = (id: string) => `/api/v1/devices/${encodeURIComponent(id)}/sbom`;
