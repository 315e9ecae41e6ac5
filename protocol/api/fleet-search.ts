import * as v from 'valibot';
import { Id, Name, pageOf, Timestamp } from './common';
import { DeviceFilter } from './jobs';

/*
 * Fleet search: a question about every device's inventory, answered from D1 —
 * "Chrome older than 120", "less than 8 GB RAM", "older than 4 years", "missing the
 * antivirus". Conditions are combined with all/any and narrowed by the device list's
 * filters (client, site, tag, group, status, platform). Saved searches keep a query under a
 * name; a job may target a saved search (resolved when the job is created).
 */

const value = v.pipe(v.string(), v.trim(), v.minLength(1, 'required'), v.maxLength(200));
export const NumOp = v.picklist(['lt', 'lte', 'eq', 'gte', 'gt']);
export type NumOp = v.InferOutput<typeof NumOp>;
export const TextOp = v.picklist(['equals', 'contains', 'starts_with', 'not_contains']);
export type TextOp = v.InferOutput<typeof TextOp>;
const number = v.pipe(v.number(), v.minValue(-1_000_000), v.maxValue(1e15));

export const SearchCondition = v.variant('field', [
  /**
   * Software present (or missing) by name — equals / contains / starts_with, case-insensitive —
   * optionally only at a version compared as versions ("older than 120": op lt, value "120").
   */
  v.object({
    field: v.literal('software'),
    op: v.picklist(['installed', 'missing']),
    name: value,
    match: v.optional(v.picklist(['equals', 'contains', 'starts_with']), 'contains'),
    version: v.optional(v.object({ op: NumOp, value: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64)) })),
  }),
  /** Numbers: RAM and disk in GB (10^9 bytes), cores, age in years, warranty days left (negative: expired). */
  v.object({ field: v.picklist(['ram_gb', 'disk_gb', 'cpu_cores', 'age_years', 'warranty_days_left', 'software_count']), op: NumOp, value: number }),
  /** Text facts of the inventory. */
  v.object({ field: v.picklist(['os_name', 'manufacturer', 'model', 'serial', 'cpu_model', 'chassis', 'hostname']), op: TextOp, value }),
  /** The OS version compared as a version. */
  v.object({ field: v.literal('os_version'), op: NumOp, value }),
  /** OS past its vendor's end of support (from the shipped table), or not. */
  v.object({ field: v.literal('os_eol'), op: v.picklist(['is', 'is_not']) }),
  /** No inventory received yet. */
  v.object({ field: v.literal('no_inventory') }),
]);
export type SearchCondition = v.InferOutput<typeof SearchCondition>;

export const FleetQuery = v.object({
  match: v.optional(v.picklist(['all', 'any']), 'all'),
  conditions: v.pipe(v.array(SearchCondition), v.minLength(1, 'add at least one condition'), v.maxLength(20)),
  filter: v.optional(DeviceFilter),
});
export type FleetQuery = v.InferOutput<typeof FleetQuery>;

/** POST /inventory/search (and POST /inventory/search.csv for the same rows as CSV). */
export const FleetSearchBody = v.object({
  query: FleetQuery,
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500)), 100),
});
export type FleetSearchBody = v.InferOutput<typeof FleetSearchBody>;

export const FleetSearchRow = v.object({
  deviceId: v.string(),
  hostname: v.string(),
  displayName: v.nullable(v.string()),
  clientId: v.string(),
  clientName: v.string(),
  status: v.picklist(['online', 'offline']),
  osName: v.nullable(v.string()),
  osVersion: v.nullable(v.string()),
  manufacturer: v.nullable(v.string()),
  model: v.nullable(v.string()),
  ramBytes: v.nullable(v.number()),
  /** The software that matched the first software condition (name and version), when there is one. */
  matched: v.nullable(v.object({ name: v.string(), version: v.string() })),
});
export type FleetSearchRow = v.InferOutput<typeof FleetSearchRow>;
export const FleetSearchPage = v.object({ ...pageOf(FleetSearchRow).entries, total: v.number(), tookMs: v.number() });
export type FleetSearchPage = v.InferOutput<typeof FleetSearchPage>;

/** /searches: saved fleet searches. */
export const CreateSavedSearch = v.object({ name: Name, query: FleetQuery });
export type CreateSavedSearch = v.InferOutput<typeof CreateSavedSearch>;
export const UpdateSavedSearch = v.partial(CreateSavedSearch);
export const SavedSearch = v.object({
  id: v.string(),
  name: v.string(),
  query: FleetQuery,
  createdBy: v.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SavedSearch = v.InferOutput<typeof SavedSearch>;
export const SavedSearchIds = v.pipe(v.array(Id), v.maxLength(10));
