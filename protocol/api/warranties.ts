import * as v from 'valibot';
import { Id, LongText, pageOf, Timestamp } from './common';
import { CalendarDate, WARRANTY_VENDORS, WarrantySource } from '../warranty';

/*
 * Warranties and asset facts. A device may hold one warranty per source (manual, CSV import,
 * a vendor lookup); its coverage is the latest end among them. Vendor lookups run when the
 * tenant has configured that vendor's credentials (PUT /warranty-providers/:vendor), for
 * devices whose inventory names that manufacturer and a serial. Alerts: 90, 60 and 30 days
 * before the end (info, warning, critical), through the alerting engine.
 */

export const WarrantyVendor = v.picklist(WARRANTY_VENDORS);

/** PUT /devices/:id/warranty: the manual record. */
export const PutManualWarranty = v.pipe(
  v.object({
    vendor: v.pipe(v.string(), v.trim(), v.minLength(1, 'required'), v.maxLength(64)),
    start: v.optional(v.nullable(CalendarDate)),
    end: CalendarDate,
    description: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(255)))),
  }),
  v.check((w) => !w.start || w.start <= w.end, 'start must not be after end'),
);
export type PutManualWarranty = v.InferOutput<typeof PutManualWarranty>;

/** PUT /devices/:id/asset: what a technician knows about the device. */
export const PutDeviceAsset = v.object({
  purchaseDate: v.optional(v.nullable(CalendarDate)),
  assetTag: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(64)))),
  notes: v.optional(v.nullable(LongText)),
});
export type PutDeviceAsset = v.InferOutput<typeof PutDeviceAsset>;

export const WarrantyEntry = v.object({
  source: WarrantySource,
  vendor: v.string(),
  start: v.nullable(v.string()),
  end: v.string(),
  description: v.nullable(v.string()),
  fetchedAt: Timestamp,
});
export type WarrantyEntry = v.InferOutput<typeof WarrantyEntry>;

/** GET /devices/:id/warranty */
export const DeviceWarrantyView = v.object({
  entries: v.array(WarrantyEntry),
  /** The latest end among the entries. */
  coverageEnd: v.nullable(v.string()),
  daysLeft: v.nullable(v.number()),
  asset: v.object({ purchaseDate: v.nullable(v.string()), assetTag: v.nullable(v.string()), notes: v.nullable(v.string()) }),
});
export type DeviceWarrantyView = v.InferOutput<typeof DeviceWarrantyView>;

/** GET /warranties (and /warranties.csv): one row per device. */
export const WarrantyListQuery = v.object({
  q: v.optional(v.pipe(v.string(), v.maxLength(200))),
  clientId: v.optional(Id),
  /** expiring: ends within `days` (default 90); expired; none: no record at all. */
  state: v.optional(v.picklist(['covered', 'expiring', 'expired', 'none'])),
  days: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(3650))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(500))),
});
export const WarrantyRow = v.object({
  deviceId: v.string(),
  hostname: v.string(),
  clientName: v.string(),
  manufacturer: v.nullable(v.string()),
  model: v.nullable(v.string()),
  serial: v.nullable(v.string()),
  vendor: v.nullable(v.string()),
  source: v.nullable(v.string()),
  end: v.nullable(v.string()),
  daysLeft: v.nullable(v.number()),
});
export type WarrantyRow = v.InferOutput<typeof WarrantyRow>;
export const WarrantyPage = pageOf(WarrantyRow);

/** POST /warranties/import: CSV text (serial,vendor,start,end[,description]); matched by serial. */
export const WarrantyImportBody = v.object({ csv: v.pipe(v.string(), v.minLength(1), v.maxLength(2 * 1024 * 1024)) });
export const WarrantyImportResult = v.object({
  imported: v.number(),
  unmatched: v.array(v.string()),
  errors: v.array(v.object({ line: v.number(), message: v.string() })),
});
export type WarrantyImportResult = v.InferOutput<typeof WarrantyImportResult>;

/** GET /warranty-providers: which vendors are configured (never the credentials). */
export const WarrantyProviderView = v.object({
  vendor: WarrantyVendor,
  configured: v.boolean(),
  enabled: v.boolean(),
  lastRunAt: v.nullable(Timestamp),
  lastError: v.nullable(v.string()),
});
export type WarrantyProviderView = v.InferOutput<typeof WarrantyProviderView>;
