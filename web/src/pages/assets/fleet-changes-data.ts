import type * as v from 'valibot';
import type { ChangesQuery } from '../../../../protocol/api/inventory';
import { api, call } from '../../api/client';
import type { Page } from '../../lib/paged-list';
import type { ChangeRecord } from '../device/inventory-data';
import { compact, queryString } from '../../lib/query';

export type { ChangeRecord };
/** The fleet timeline's filters: the device tab's plus the client. */
export type FleetChangesFilter = Omit<v.InferInput<typeof ChangesQuery>, 'cursor' | 'limit'>;

export function listFleetChanges(q: FleetChangesFilter, cursor?: string): Promise<Page<ChangeRecord>> {
  return call(api.inventory.changes.$get({ query: compact({ ...q, cursor, limit: '200' }) as never }));
}

/** The CSV of the same filters: every page, not only the loaded ones. */
export const fleetChangesCsvUrl = (q: FleetChangesFilter) => `/api/v1/inventory/changes.csv${queryString(q)}`;
