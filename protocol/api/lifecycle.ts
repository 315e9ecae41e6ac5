import * as v from 'valibot';
import { Id, pageOf } from './common';

/*
 * Lifecycle: a device's age (purchase date, else warranty start, else firmware date), a
 * health score 0–100 with a grade and the components behind it, and a replacement forecast
 * (the tenant's replacement age, brought forward by a poor score, never before today).
 */

export const Grade = v.picklist(['A', 'B', 'C', 'D', 'F']);
export type Grade = v.InferOutput<typeof Grade>;

export const HealthComponent = v.object({
  key: v.picklist(['smart', 'disk_space', 'stability', 'alerts', 'warranty', 'os_eol', 'age']),
  label: v.string(),
  /** 0–100 for this component; null when there is nothing to judge (it then does not count). */
  score: v.nullable(v.number()),
  /** Its weight in the total, 0–1 (the weights of counted components are rescaled to 1). */
  weight: v.number(),
  detail: v.string(),
});
export type HealthComponent = v.InferOutput<typeof HealthComponent>;

export const DeviceLifecycle = v.object({
  deviceId: v.string(),
  /** YYYY-MM-DD the age counts from, and where it came from. */
  since: v.nullable(v.string()),
  sinceSource: v.nullable(v.picklist(['purchase', 'warranty', 'firmware'])),
  ageYears: v.nullable(v.number()),
  score: v.number(),
  grade: Grade,
  components: v.array(HealthComponent),
  /** YYYY-MM-DD */
  replaceBy: v.nullable(v.string()),
  replaceReason: v.string(),
});
export type DeviceLifecycle = v.InferOutput<typeof DeviceLifecycle>;

/** GET /reports/lifecycle (and .csv): the fleet, worst first. */
export const LifecycleReportQuery = v.object({
  clientId: v.optional(Id),
  grade: v.optional(Grade),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(500))),
});
export const LifecycleRow = v.object({
  ...DeviceLifecycle.entries,
  hostname: v.string(),
  clientName: v.string(),
  manufacturer: v.nullable(v.string()),
  model: v.nullable(v.string()),
});
export type LifecycleRow = v.InferOutput<typeof LifecycleRow>;
export const LifecycleReport = v.object({
  ...pageOf(LifecycleRow).entries,
  /** Devices per grade, and how many are due for replacement within 12 months. */
  summary: v.object({ grades: v.record(v.string(), v.number()), replaceWithin12Months: v.number(), averageAgeYears: v.nullable(v.number()) }),
});
export type LifecycleReport = v.InferOutput<typeof LifecycleReport>;

/** PUT /settings/lifecycle */
export const LifecycleSettings = v.object({
  replaceAfterYears: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(15)),
});
export type LifecycleSettings = v.InferOutput<typeof LifecycleSettings>;
