import * as v from 'valibot';
import { CommandSpec } from './commands';
import { MAX_COMMAND_TTL_SECONDS } from '../limits';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const numeric = (min: number, max: number) =>
  v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(min), v.maxValue(max));

export const Tag = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(40),
  v.regex(/^[\p{L}\p{N}_.:\- ]+$/u, 'tags may hold letters, digits, space and _ . : -'),
);

export const DeviceSort = v.picklist(['hostname', '-hostname', 'lastSeenAt', '-lastSeenAt', 'status', '-status']);

export const DeviceListQuery = v.object({
  q: v.optional(v.pipe(v.string(), v.maxLength(200))),
  clientId: v.optional(id),
  siteId: v.optional(id),
  status: v.optional(v.picklist(['online', 'offline'])),
  tag: v.optional(Tag),
  groupId: v.optional(id),
  sort: v.optional(DeviceSort, 'hostname'),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(numeric(1, 1000)),
});

export const UpdateDevice = v.object({
  displayName: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(100)))),
  siteId: v.optional(id),
  tags: v.optional(v.pipe(v.array(Tag), v.maxLength(50))),
});
export type UpdateDevice = v.InferOutput<typeof UpdateDevice>;

export const MetricsQuery = v.object({
  from: v.optional(numeric(0, 8.64e15)),
  to: v.optional(numeric(0, 8.64e15)),
  resolution: v.optional(v.picklist(['minute', 'hour'])),
  /** Seconds per point; picks the resolution (hourly from one hour up) and folds points to it. */
  step: v.optional(numeric(60, 30 * 86_400)),
});

/** How long a queued command waits for an offline device; default 24 h. */
const ttlSeconds = v.optional(v.pipe(v.number(), v.integer(), v.minValue(10), v.maxValue(MAX_COMMAND_TTL_SECONDS)));

export const CreateCommand = v.intersect([CommandSpec, v.object({ ttlSeconds })]);
export type CreateCommand = v.InferOutput<typeof CreateCommand>;

export const CommandListQuery = v.object({
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(numeric(1, 200)),
});
