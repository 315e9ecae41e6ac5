import * as v from 'valibot';
import { Id, LongText, Name, Timestamp } from './common';
import { CalendarDate } from '../warranty';

/*
 * /licences: software the MSP or its clients bought, with seats, an encrypted key and an
 * expiry. Compliance counts the devices whose software inventory matches the licence (within
 * the licence's client, or the whole tenant): more than the seats is over-deployed, fewer is
 * unused seats. Expiry raises alerts through the alerting engine (30 days before, and on the day).
 */

export const LicenceMatch = v.object({
  /** Case-insensitive; `contains` unless `exact`. */
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'required'), v.maxLength(200)),
  exact: v.optional(v.boolean(), false),
  publisher: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200))),
  /** Only installs at this version or later count (compared as versions). */
  minVersion: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(64))),
});
export type LicenceMatch = v.InferOutput<typeof LicenceMatch>;

export const CreateLicence = v.object({
  product: Name,
  vendor: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(120)))),
  clientId: v.optional(v.nullable(Id)),
  seats: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000)),
  /** Stored sealed; answers show only its last four characters. */
  key: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(2048)))),
  expires: v.optional(v.nullable(CalendarDate)),
  match: LicenceMatch,
  notes: v.optional(v.nullable(LongText)),
});
export type CreateLicence = v.InferOutput<typeof CreateLicence>;
export const UpdateLicence = v.partial(CreateLicence);
export type UpdateLicence = v.InferOutput<typeof UpdateLicence>;

export const LicenceCompliance = v.object({
  installed: v.number(),
  seats: v.number(),
  /** installed − seats when positive. */
  overDeployed: v.number(),
  /** seats − installed when positive. */
  unusedSeats: v.number(),
  status: v.picklist(['compliant', 'over_deployed', 'unused_seats']),
});
export type LicenceCompliance = v.InferOutput<typeof LicenceCompliance>;

export const Licence = v.object({
  id: v.string(),
  product: v.string(),
  vendor: v.nullable(v.string()),
  clientId: v.nullable(v.string()),
  clientName: v.nullable(v.string()),
  seats: v.number(),
  keyHint: v.nullable(v.string()),
  expires: v.nullable(v.string()),
  /** Days until expiry (negative: expired); null when perpetual. */
  daysLeft: v.nullable(v.number()),
  match: LicenceMatch,
  notes: v.nullable(v.string()),
  compliance: LicenceCompliance,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Licence = v.InferOutput<typeof Licence>;
