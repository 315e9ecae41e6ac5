import * as v from 'valibot';
import { pageOf, Timestamp } from './common';
import { CHANGE_KINDS, HardwareInventory, OsInventory, SoftwareItem, SoftwareSource } from '../inventory';

const numeric = (min: number, max: number) =>
  v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(min), v.maxValue(max));
const cursor = v.optional(v.pipe(v.string(), v.maxLength(512)));

/** GET /devices/:id/inventory: os, hardware, OS end of life and the ingest's health. */
export const DeviceInventoryView = v.object({
  /** null: no inventory received yet. */
  inventory: v.nullable(
    v.object({
      hash: v.string(),
      collectedAt: Timestamp,
      updatedAt: Timestamp,
      os: OsInventory,
      hardware: HardwareInventory,
      softwareCount: v.number(),
    }),
  ),
  osEndOfLife: v.nullable(v.object({ product: v.string(), cycle: v.string(), eol: v.nullable(v.string()), isEol: v.boolean(), source: v.string() })),
  /** Inventory frames the hub refused (malformed, too large, a diff that did not add up). */
  rejected: v.object({ count: v.number(), lastAt: v.nullable(Timestamp), lastReason: v.nullable(v.string()) }),
});
export type DeviceInventoryView = v.InferOutput<typeof DeviceInventoryView>;

/** GET /devices/:id/software (and /software.csv). */
export const SoftwareListQuery = v.object({
  q: v.optional(v.pipe(v.string(), v.maxLength(200))),
  source: v.optional(SoftwareSource),
  sort: v.optional(v.picklist(['name', '-name', 'installedAt', '-installedAt', 'sizeBytes', '-sizeBytes']), 'name'),
  cursor,
  limit: v.optional(numeric(1, 1000)),
});
export const InstalledSoftware = v.object({ ...SoftwareItem.entries, key: v.string(), firstSeenAt: Timestamp });
export type InstalledSoftware = v.InferOutput<typeof InstalledSoftware>;
export const SoftwarePage = pageOf(InstalledSoftware);

export const ChangeKind = v.picklist(CHANGE_KINDS);
/** GET /devices/:id/changes and GET /inventory/changes (fleet-wide), newest first (and .csv). */
export const ChangesQuery = v.object({
  kind: v.optional(ChangeKind),
  q: v.optional(v.pipe(v.string(), v.maxLength(200))),
  from: v.optional(numeric(0, 8.64e15)),
  to: v.optional(numeric(0, 8.64e15)),
  clientId: v.optional(v.pipe(v.string(), v.maxLength(64))),
  cursor,
  limit: v.optional(numeric(1, 500)),
});
export const ChangeRecord = v.object({
  id: v.string(),
  deviceId: v.string(),
  hostname: v.string(),
  at: Timestamp,
  kind: ChangeKind,
  subject: v.string(),
  source: v.nullable(v.string()),
  fromValue: v.nullable(v.string()),
  toValue: v.nullable(v.string()),
});
export type ChangeRecord = v.InferOutput<typeof ChangeRecord>;
export const ChangePage = pageOf(ChangeRecord);

/** GET /inventory/software: the fleet's software by name, with how many devices and versions (and .csv). */
export const FleetSoftwareQuery = v.object({
  q: v.optional(v.pipe(v.string(), v.maxLength(200))),
  clientId: v.optional(v.pipe(v.string(), v.maxLength(64))),
  cursor,
  limit: v.optional(numeric(1, 500)),
});
export const FleetSoftwareRow = v.object({
  name: v.string(),
  publisher: v.nullable(v.string()),
  devices: v.number(),
  versions: v.number(),
  /** Up to five versions, newest first. */
  topVersions: v.array(v.object({ version: v.string(), devices: v.number() })),
});
export type FleetSoftwareRow = v.InferOutput<typeof FleetSoftwareRow>;
export const FleetSoftwarePage = pageOf(FleetSoftwareRow);
