import * as v from 'valibot';
import { Cron } from 'croner';
import { Id, Name, Timestamp, pageOf } from './common';

const validCron = v.check<string, string>((s) => {
  try {
    new Cron(s, { paused: true });
    return true;
  } catch {
    return false;
  }
}, 'not a cron expression (minute hour day-of-month month day-of-week)');

const validZone = v.check<string, string>((z) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: z });
    return true;
  } catch {
    return false;
  }
}, 'unknown time zone');

export const WindowSchedule = v.variant('kind', [
  v.pipe(
    v.object({ kind: v.literal('once'), startsAt: Timestamp, endsAt: Timestamp }),
    v.forward(v.check((s) => s.endsAt > s.startsAt, 'the window must end after it starts'), ['endsAt']),
  ),
  v.object({
    kind: v.literal('recurring'),
    cron: v.pipe(v.string(), v.trim(), v.maxLength(120), validCron),
    durationMinutes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_080)),
    timezone: v.optional(v.pipe(v.string(), v.maxLength(64), validZone), 'UTC'),
  }),
]);
export type WindowSchedule = v.InferOutput<typeof WindowSchedule>;

export const WindowScope = v.object({
  scopeType: v.picklist(['client', 'site', 'group', 'device']),
  scopeId: Id,
});

export const CreateMaintenanceWindowBody = v.object({
  name: Name,
  ...WindowScope.entries,
  schedule: WindowSchedule,
  enabled: v.optional(v.boolean(), true),
});
export type CreateMaintenanceWindowBody = v.InferOutput<typeof CreateMaintenanceWindowBody>;
export const UpdateMaintenanceWindowBody = v.partial(CreateMaintenanceWindowBody);
export type UpdateMaintenanceWindowBody = v.InferOutput<typeof UpdateMaintenanceWindowBody>;

export const MaintenanceWindow = v.object({
  id: Id,
  name: v.string(),
  scopeType: v.picklist(['client', 'site', 'group', 'device']),
  scopeId: Id,
  scopeName: v.nullable(v.string()),
  schedule: WindowSchedule,
  enabled: v.boolean(),
  /** Whether it is in force right now, and when it next starts / ends. */
  activeNow: v.boolean(),
  nextStart: v.nullable(Timestamp),
  createdAt: Timestamp,
});
export type MaintenanceWindow = v.InferOutput<typeof MaintenanceWindow>;
export const MaintenanceWindowPage = pageOf(MaintenanceWindow);

/** The window is in force at `at` (a recurring one: a start within the last duration). */
export function windowActiveAt(s: WindowSchedule, at: number): boolean {
  if (s.kind === 'once') return at >= s.startsAt && at < s.endsAt;
  const next = new Cron(s.cron, { timezone: s.timezone, paused: true }).nextRun(new Date(at - s.durationMinutes * 60_000));
  return next !== null && next.getTime() <= at;
}

/** When the window's state next changes after `at` (start or end), or null if never. */
export function windowNextChange(s: WindowSchedule, at: number): number | null {
  if (s.kind === 'once') return at < s.startsAt ? s.startsAt : at < s.endsAt ? s.endsAt : null;
  const cron = new Cron(s.cron, { timezone: s.timezone, paused: true });
  const dur = s.durationMinutes * 60_000;
  const current = cron.nextRun(new Date(at - dur));
  if (current && current.getTime() <= at) return current.getTime() + dur;
  return cron.nextRun(new Date(at))?.getTime() ?? null;
}
