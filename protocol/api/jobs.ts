import * as v from 'valibot';
import { Id, pageOf, SearchText, Timestamp } from './common';
import { CommandSpec } from './commands';
import { DeviceListQuery, Tag } from './devices';
import { CommandStatus } from '../command';
import { MAX_COMMAND_TTL_SECONDS } from '../limits';
import { DeployStep } from '../packages';

/*
 * /api/v1/jobs — one command or script on many devices. The target set is resolved to
 * devices when the job is created (limited to the clients the creator may see) and frozen.
 * Devices online run it at most `concurrency` at a time; offline ones run it when they come
 * back, until the job expires. A job aimed at more devices than the tenant's approval
 * threshold, or at the whole tenant, waits for a second user (admin or owner) to approve it.
 */

const ids = (max: number) => v.optional(v.pipe(v.array(Id), v.maxLength(max)), []);

/** The device list's filters, as a target: everything the list would show. */
export const DeviceFilter = v.object({
  // The list's filters are all plain strings in its query, so they read the same in a body.
  ...v.pick(DeviceListQuery, ['q', 'clientId', 'siteId', 'status', 'tag', 'groupId']).entries,
  platform: v.optional(v.picklist(['linux', 'macos', 'windows'])),
});
export type DeviceFilter = v.InferOutput<typeof DeviceFilter>;

/** The union of everything named. `all: true` is the whole tenant (always needs approval). */
export const JobTarget = v.pipe(
  v.object({
    all: v.optional(v.boolean(), false),
    deviceIds: ids(10_000),
    groupIds: ids(100),
    siteIds: ids(100),
    clientIds: ids(100),
    tags: v.optional(v.pipe(v.array(Tag), v.maxLength(50)), []),
    filter: v.optional(DeviceFilter),
    /** Saved fleet searches: the devices each one finds when the job is created. */
    searchIds: ids(10),
  }),
  v.check(
    (t) =>
      t.all ||
      t.deviceIds.length + t.groupIds.length + t.siteIds.length + t.clientIds.length + t.tags.length + t.searchIds.length > 0 ||
      t.filter !== undefined,
    'name at least one device, group, site, client, tag, saved search or filter',
  ),
);
export type JobTarget = v.InferOutput<typeof JobTarget>;

/**
 * Rings: a canary set first (`count` devices, or `percent` of the target, at least one; online
 * devices are preferred), then — once every canary device has a result (or is offline) and
 * `waitMinutes` have passed — a gate: the canary's success rate (succeeded / (succeeded +
 * failed)) must reach `gatePercent`, else the job halts with the rest untouched (an admin may
 * promote it anyway, or cancel it).
 */
export const JobRings = v.pipe(
  v.object({
    count: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
    percent: v.optional(v.pipe(v.number(), v.minValue(0.1), v.maxValue(99))),
    waitMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(7 * 24 * 60)), 30),
    gatePercent: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100)), 100),
  }),
  v.check((r) => (r.count === undefined) !== (r.percent === undefined), 'give the canary as a count or a percent'),
);
export type JobRings = v.InferOutput<typeof JobRings>;

/** When a job may send: now, from a time, and/or only to devices inside one of their maintenance windows. */
export const JobSchedule = v.object({
  startAt: v.optional(v.nullable(Timestamp), null),
  windowOnly: v.optional(v.boolean(), false),
});
export type JobSchedule = v.InferOutput<typeof JobSchedule>;

export const CreateJobBody = v.object({
  name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(120))),
  action: CommandSpec,
  target: JobTarget,
  /** Devices running it at the same time. */
  concurrency: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 50),
  /** Until when offline devices may still receive it; default 24 h (counted from startAt when given). */
  ttlSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(60), v.maxValue(MAX_COMMAND_TTL_SECONDS)), 24 * 3600),
  schedule: v.optional(JobSchedule),
  rings: v.optional(v.nullable(JobRings), null),
});
export type CreateJobBody = v.InferOutput<typeof CreateJobBody>;

/** POST /jobs/preview: how many devices a target names (and whether approval will be needed). */
export const PreviewJobBody = v.object({ target: JobTarget });
export const JobPreview = v.object({
  count: v.number(),
  online: v.number(),
  needsApproval: v.boolean(),
  /** First 20 hostnames, for the confirmation. */
  sample: v.array(v.object({ id: Id, hostname: v.string(), online: v.boolean() })),
});

export const JobKind = v.picklist(['command', 'deployment', 'patch']);
export type JobKind = v.InferOutput<typeof JobKind>;

/** `scheduled`: approved, waiting for its start time. `halted`: the canary gate failed; the rest wait for a promote or cancel. */
export const JobStatus = v.picklist(['awaiting_approval', 'scheduled', 'rejected', 'running', 'halted', 'completed', 'cancelled', 'expired']);
export type JobStatus = v.InferOutput<typeof JobStatus>;

/** Per device: `pending` (not sent yet: offline, or waiting for a free slot), then the command's status. */
export const JobTargetStatus = v.picklist(['pending', ...CommandStatus.options]);
export type JobTargetStatus = v.InferOutput<typeof JobTargetStatus>;

export const JobCounts = v.object({
  total: v.number(),
  pending: v.number(),
  /** queued, delivered or running. */
  active: v.number(),
  succeeded: v.number(),
  /** failed, timed_out, rejected, interrupted. */
  failed: v.number(),
  /** expired or cancelled before running. */
  skipped: v.number(),
});
export type JobCounts = v.InferOutput<typeof JobCounts>;

export const Job = v.object({
  id: Id,
  name: v.string(),
  /** Secrets masked. */
  action: v.record(v.string(), v.unknown()),
  /** e.g. "script: Clear temp files v3" or "power: reboot". */
  actionLabel: v.string(),
  target: v.record(v.string(), v.unknown()),
  concurrency: v.number(),
  status: JobStatus,
  counts: JobCounts,
  requestedBy: Id,
  requestedByName: v.nullable(v.string()),
  approvedBy: v.nullable(Id),
  approvedByName: v.nullable(v.string()),
  approvedAt: v.nullable(Timestamp),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  finishedAt: v.nullable(Timestamp),
  /** 'command' (scripts, power…), 'deployment' (deploy) or 'patch' (install_patches). */
  kind: JobKind,
  startAt: v.nullable(Timestamp),
  windowOnly: v.boolean(),
  rings: v.nullable(JobRings),
  /** 0 while the canary runs, 1 once the rest may run (always 1 without rings). */
  ring: v.number(),
  /** The canary gate: null (no rings / not reached), 'waiting' (until gateAt), 'passed', 'failed', 'promoted'. */
  gate: v.nullable(v.picklist(['waiting', 'passed', 'failed', 'promoted'])),
  gateAt: v.nullable(Timestamp),
  /** Canary success rate when the gate was judged, percent. */
  canaryRate: v.nullable(v.number()),
});
export type Job = v.InferOutput<typeof Job>;
export const JobPage = pageOf(Job);

export const JobListQuery = v.object({
  q: SearchText,
  status: v.optional(JobStatus),
  kind: v.optional(JobKind),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(200))),
});

export const JobDevice = v.object({
  deviceId: Id,
  hostname: v.string(),
  clientId: Id,
  online: v.boolean(),
  status: JobTargetStatus,
  commandId: v.nullable(Id),
  attempt: v.number(),
  exitCode: v.nullable(v.number()),
  durationMs: v.nullable(v.number()),
  error: v.nullable(v.string()),
  updatedAt: Timestamp,
  /** 0: canary ring; 1: the rest. */
  ring: v.number(),
  /** Deployments: where the device is (pending → downloading → … → succeeded / failed / rolled_back). */
  step: v.nullable(DeployStep),
  progress: v.nullable(v.number()),
});
export type JobDevice = v.InferOutput<typeof JobDevice>;

/** GET /jobs/:id/devices?status=&cursor=&limit= ; GET /jobs/:id/export.csv for everything with output. */
export const JobDeviceQuery = v.object({
  status: v.optional(v.picklist(['pending', 'active', 'succeeded', 'failed', 'skipped'])),
  q: SearchText,
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(1000))),
});
export const JobDevicePage = pageOf(JobDevice);

/** POST /jobs/:id/promote (admin+): a halted canary gate is overridden and the rest run. */
export const PromoteJobBody = v.object({ reason: v.pipe(v.string(), v.trim(), v.minLength(1, 'say why'), v.maxLength(500)) });

/**
 * POST /jobs/:id/rollback (deployments): a new deployment job of action `rollback` for the
 * same package version, aimed at the devices where this one succeeded (or `deviceIds` of them).
 */
export const RollbackJobBody = v.object({ deviceIds: v.optional(v.pipe(v.array(Id), v.maxLength(10_000))) });

/** POST /jobs/:id/reject */
export const RejectJobBody = v.object({ reason: v.optional(v.pipe(v.string(), v.maxLength(500)), '') });

/** GET/PATCH /settings/automation (PATCH: admin+). */
export const AutomationSettings = v.object({
  /** A job aimed at more devices than this needs a second person's approval. */
  approvalThreshold: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)),
  /** Command history older than this is deleted (output included). */
  historyRetentionDays: v.pipe(v.number(), v.integer(), v.minValue(7), v.maxValue(3650)),
});
export type AutomationSettings = v.InferOutput<typeof AutomationSettings>;
export const UpdateAutomationSettings = v.partial(AutomationSettings);
