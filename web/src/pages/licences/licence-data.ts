import type * as v from 'valibot';
import type { CreateLicence, Licence, LicenceCompliance } from '../../../../protocol/api/licences';
import { api, call, fetchAll, type Data } from '../../api/client';
import type { Page } from '../../lib/paged-list';
import { compact, queryString } from '../../lib/query';

export type { Licence, LicenceCompliance };
export type LicenceDraft = v.InferInput<typeof CreateLicence>;

export interface LicenceQuery {
  q?: string;
  clientId?: string;
}

export function listLicences(q: LicenceQuery, cursor?: string): Promise<Page<Licence>> {
  return call(api.licences.$get({ query: compact({ ...q, cursor, limit: '100' }) }));
}

/** The same rows as CSV, under the page's filters. */
export function licencesCsvHref(q: LicenceQuery): string {
  return `/api/v1/licences.csv${queryString({ ...q })}`;
}

export function loadLicence(id: string): Promise<Licence> {
  return call(api.licences[':id'].$get({ param: { id } }));
}

export function createLicence(json: LicenceDraft): Promise<Licence> {
  return call(api.licences.$post({ json }));
}

export function updateLicence(id: string, json: Partial<LicenceDraft>): Promise<Licence> {
  return call(api.licences[':id'].$patch({ param: { id }, json }));
}

export function deleteLicence(id: string): Promise<unknown> {
  return call(api.licences[':id'].$delete({ param: { id } }));
}

/** The stored key in clear (null: none stored); the server audits every reveal. */
export async function revealKey(id: string): Promise<string | null> {
  return (await call(api.licences[':id'].key.$get({ param: { id } }))).key;
}

export type SeatDevice = Data<(typeof api.licences)[':id']['devices']['$get']>['items'][number];

/** The devices using a seat, all of them (a licence covers hundreds at most). */
export function licenceDevices(id: string): Promise<SeatDevice[]> {
  return fetchAll((cursor) => call(api.licences[':id'].devices.$get({ param: { id }, query: cursor ? { cursor, limit: '500' } : { limit: '500' } })));
}

export const COMPLIANCE_LABEL: Record<LicenceCompliance['status'], string> = {
  compliant: 'compliant',
  over_deployed: 'over-deployed',
  unused_seats: 'unused seats',
};

export const COMPLIANCE_TONE: Record<LicenceCompliance['status'], string> = {
  compliant: 'badge-ok',
  over_deployed: 'badge-bad',
  unused_seats: 'badge-warn',
};
