import * as v from 'valibot';

/*
 * A device's warranty: one record per (device, source). Dates are calendar dates (YYYY-MM-DD)
 * because vendors state coverage in days, and a timestamp would shift them across time zones.
 */

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const secret = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(512));

export const WARRANTY_SOURCES = ['manual', 'csv', 'dell', 'hp', 'lenovo'] as const;
export const WarrantySource = v.picklist(WARRANTY_SOURCES);
export type WarrantySource = v.InferOutput<typeof WarrantySource>;

/** The sources that are vendor lookups (each has an adapter and credentials). */
export const WARRANTY_VENDORS = ['dell', 'hp', 'lenovo'] as const;
export type WarrantyVendor = (typeof WARRANTY_VENDORS)[number];

export const CalendarDate = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'),
  // The check runs even after the regex failed: text that is no date at all must not throw here.
  v.check((s) => {
    const at = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(s);
  }, 'must be a real calendar date'),
);

export const WarrantyRecord = v.pipe(
  v.object({
    deviceSerial: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    /** The manufacturer as the source names it ("Dell", "HP", "Lenovo", or whatever a CSV says). */
    vendor: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    /** Null when the source states only the end. */
    start: v.nullable(CalendarDate),
    end: CalendarDate,
    description: v.nullable(text(255)),
    source: WarrantySource,
    /** ms since the epoch: when the lookup ran or the import was read. */
    fetchedAt: v.number(),
  }),
  v.check((r) => r.start === null || r.start <= r.end, 'start must not be after end'),
);
export type WarrantyRecord = v.InferOutput<typeof WarrantyRecord>;

/** Dell TechDirect API key (OAuth2 client credentials). */
export const DellCredentials = v.object({ clientId: secret, clientSecret: secret });
export type DellCredentials = v.InferOutput<typeof DellCredentials>;

/** HP developer portal app (key and secret exchanged for a bearer token). */
export const HpCredentials = v.object({ apiKey: secret, apiSecret: secret });
export type HpCredentials = v.InferOutput<typeof HpCredentials>;

/** Lenovo support API ClientID, issued by Lenovo on request. */
export const LenovoCredentials = v.object({ clientId: secret });
export type LenovoCredentials = v.InferOutput<typeof LenovoCredentials>;

export const WARRANTY_CREDENTIALS = { dell: DellCredentials, hp: HpCredentials, lenovo: LenovoCredentials } as const;
export type WarrantyCredentials = { [K in WarrantyVendor]: v.InferOutput<(typeof WARRANTY_CREDENTIALS)[K]> };
