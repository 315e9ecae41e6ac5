import * as v from 'valibot';
import { MetricsSample } from './metrics';
import { CommandStatus } from './command';
import { Alert } from './api/alerts';
import { JobCounts, JobStatus } from './api/jobs';
import { DeployStep } from './packages';
import { TicketPriority, TicketStatus } from './api/tickets';

/*
 * Frames pushed to dashboards. Two sockets:
 * - tenant feed  GET /api/v1/live              (TenantHub): device status changes, command events
 * - device view  GET /api/v1/devices/:id/live  (DeviceHub): live metrics and command output
 * Browsers only receive; anything they send other than "ping" is ignored.
 */

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

export const DeviceChange = v.object({
  id: text(64),
  clientId: v.optional(text(64)),
  status: v.picklist(['online', 'offline']),
  lastSeenAt: v.nullable(v.number()),
  hostname: v.optional(text(255)),
  agentVersion: v.optional(text(32)),
  ipAddresses: v.optional(v.array(text(64))),
});
export type DeviceChange = v.InferOutput<typeof DeviceChange>;

export const CommandChange = v.object({
  deviceId: text(64),
  commandId: text(64),
  status: CommandStatus,
  exitCode: v.nullable(v.number()),
  at: v.number(),
  /** Set when the command belongs to a bulk job. */
  jobId: v.optional(v.nullable(text(64))),
});

export const TenantFeedFrame = v.variant('t', [
  v.object({ t: v.literal('hello'), serverTime: v.number() }),
  v.object({ t: v.literal('device'), device: DeviceChange }),
  v.object({ t: v.literal('device_added'), deviceId: text(64) }),
  v.object({ t: v.literal('device_removed'), deviceId: text(64) }),
  v.object({ t: v.literal('command'), command: CommandChange }),
  /** A bulk job's status or counts changed (throttled to a few frames a second per job). */
  v.object({
    t: v.literal('job'),
    job: v.object({ id: text(64), status: JobStatus, counts: JobCounts }),
  }),
  /** Deployments: devices whose step or progress moved (batched, a few frames a second per job). */
  v.object({
    t: v.literal('job_steps'),
    jobId: text(64),
    steps: v.array(v.object({ deviceId: text(64), step: DeployStep, progress: v.nullable(v.number()) })),
  }),
  /** An alert opened or changed (acknowledged, resolved, escalated, flapping). */
  v.object({ t: v.literal('alert'), alert: Alert }),
  /** For one user: an escalation tier reached them. */
  v.object({
    t: v.literal('notification'),
    userId: text(64),
    notification: v.object({ id: text(64), alertId: v.nullable(text(64)), title: v.string(), body: v.string(), createdAt: v.number() }),
  }),
  /** A ticket was opened or changed by alert automation (queues refresh; the ticket's client scopes it). */
  v.object({
    t: v.literal('ticket'),
    ticket: v.object({
      id: text(64),
      number: v.number(),
      title: text(200),
      status: TicketStatus,
      priority: TicketPriority,
      clientId: text(64),
    }),
  }),
]);
export type TenantFeedFrame = v.InferOutput<typeof TenantFeedFrame>;

export const DeviceViewFrame = v.variant('t', [
  v.object({
    t: v.literal('status'),
    online: v.boolean(),
    lastSeenAt: v.nullable(v.number()),
    heartbeatSeconds: v.number(),
  }),
  v.object({ t: v.literal('metrics'), sample: MetricsSample }),
  /** A collector section (services, processes, security, smart) was refreshed. */
  v.object({ t: v.literal('state'), section: v.picklist(['services', 'processes', 'security', 'smart']), at: v.number() }),
  /** A check's state changed (the device page re-reads its checks). */
  v.object({ t: v.literal('check'), key: text(64), status: v.picklist(['ok', 'pending', 'breach', 'unknown']), at: v.number() }),
  v.object({
    t: v.literal('out'),
    commandId: text(64),
    stream: v.picklist(['stdout', 'stderr']),
    data: v.string(),
  }),
  v.object({
    t: v.literal('cmd'),
    commandId: text(64),
    status: CommandStatus,
    exitCode: v.nullable(v.number()),
    truncated: v.boolean(),
    error: v.nullable(v.string()),
  }),
  /** A deployment's progress on this device (the agent's step frames, passed on as they come). */
  v.object({
    t: v.literal('cmd_step'),
    commandId: text(64),
    step: DeployStep,
    progress: v.nullable(v.number()),
    detail: v.nullable(v.string()),
  }),
]);
export type DeviceViewFrame = v.InferOutput<typeof DeviceViewFrame>;
