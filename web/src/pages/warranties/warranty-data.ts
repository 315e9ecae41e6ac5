import type * as v from 'valibot';
import type { DeviceWarrantyView, PutDeviceAsset, PutManualWarranty, WarrantyImportResult, WarrantyListQuery, WarrantyProviderView, WarrantyRow } from '../../../../protocol/api/warranties';
import type { WarrantyCredentials, WarrantyVendor } from '../../../../protocol/warranty';
import { api, call } from '../../api/client';
import type { Page } from '../../lib/paged-list';
import { compact, queryString } from '../../lib/query';

export type { DeviceWarrantyView, WarrantyImportResult, WarrantyProviderView, WarrantyVendor };
/** A list row keyed for the list page (one row per device). */
export type WarrantyItem = WarrantyRow & { id: string };

export const WARRANTY_STATES: { value: WarrantyState | ''; label: string }[] = [
  { value: '', label: 'All devices' },
  { value: 'expiring', label: 'Expiring in 90 days' },
  { value: 'expired', label: 'Expired' },
  { value: 'none', label: 'No warranty' },
  { value: 'covered', label: 'Covered' },
];
export type WarrantyState = NonNullable<v.InferOutput<typeof WarrantyListQuery>['state']>;

export interface WarrantyQuery {
  q?: string;
  clientId?: string;
  state?: WarrantyState;
}

export async function listWarranties(q: WarrantyQuery, cursor?: string): Promise<Page<WarrantyItem>> {
  const page = await call(api.warranties.$get({ query: compact({ ...q, cursor, limit: '100' }) }));
  return { items: page.items.map((r) => ({ ...r, id: r.deviceId })), nextCursor: page.nextCursor };
}

export function warrantiesCsvHref(q: WarrantyQuery): string {
  return `/api/v1/warranties.csv${queryString({ ...q })}`;
}

export function importWarranties(csv: string): Promise<WarrantyImportResult> {
  return call(api.warranties.import.$post({ json: { csv } }));
}

export async function loadProviders(): Promise<WarrantyProviderView[]> {
  return (await call(api['warranty-providers'].$get())).items;
}

export function saveProvider<V extends WarrantyVendor>(vendor: V, json: { enabled: boolean; credentials?: WarrantyCredentials[V] }) {
  return call(api['warranty-providers'][':vendor'].$put({ param: { vendor }, json }));
}

export function deleteProvider(vendor: WarrantyVendor) {
  return call(api['warranty-providers'][':vendor'].$delete({ param: { vendor } }));
}

export function runProvider(vendor: WarrantyVendor) {
  return call(api['warranty-providers'][':vendor'].run.$post({ param: { vendor } }));
}

export function loadDeviceWarranty(id: string): Promise<DeviceWarrantyView> {
  return call(api.devices[':id'].warranty.$get({ param: { id } }));
}

export function putManualWarranty(id: string, json: PutManualWarranty): Promise<DeviceWarrantyView> {
  return call(api.devices[':id'].warranty.$put({ param: { id }, json }));
}

export function deleteManualWarranty(id: string): Promise<undefined> {
  return call(api.devices[':id'].warranty.$delete({ param: { id } }));
}

export function putDeviceAsset(id: string, json: PutDeviceAsset): Promise<DeviceWarrantyView> {
  return call(api.devices[':id'].asset.$put({ param: { id }, json }));
}
