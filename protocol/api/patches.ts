import * as v from 'valibot';
import { Id, Name, pageOf, SearchText, Timestamp } from './common';
import { JobTarget } from './jobs';
import { PatchClassification, PatchItem, PatchKey, PatchSeverity, PatchSource, RebootPolicy } from '../patches';

/*
 * /api/v1/patches — what devices are missing, what is approved, when it installs, and how
 * compliant each client is. Approval of one update (by key) is the tenant's decision; where
 * none was made, the policy decides: per classification `auto` (approved once the update has
 * been seen for `afterDays`), `manual` (waits for a person) or `decline`. A client may have
 * its own policy; otherwise the tenant's applies. Decisions and policies: admin+, audited.
 */

export const Approval = v.picklist(['approved', 'declined', 'pending']);
export type Approval = v.InferOutput<typeof Approval>;

export const PolicyRule = v.object({
  action: v.picklist(['auto', 'manual', 'decline']),
  afterDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(365)), 0),
});
export type PolicyRule = v.InferOutput<typeof PolicyRule>;

/** A rule per classification; classifications not named follow `otherwise`. */
export const PatchPolicy = v.object({
  rules: v.record(PatchClassification, PolicyRule),
  otherwise: PolicyRule,
});
export type PatchPolicy = v.InferOutput<typeof PatchPolicy>;
/** Security and critical updates approve themselves after 3 days; everything else waits for a person. */
export const DEFAULT_PATCH_POLICY: PatchPolicy = {
  rules: { security: { action: 'auto', afterDays: 3 }, critical: { action: 'auto', afterDays: 3 } } as PatchPolicy['rules'],
  otherwise: { action: 'manual', afterDays: 0 },
};

/** GET /patches/policies → the tenant's (clientId null) and every client override. PUT /patches/policies/:clientId|tenant. */
export const PatchPolicyView = v.object({ clientId: v.nullable(Id), clientName: v.nullable(v.string()), policy: PatchPolicy, updatedAt: v.nullable(Timestamp) });
export const PutPatchPolicyBody = v.object({ policy: PatchPolicy });

/** How an update's approval came about, for the list. */
export const ApprovalSource = v.picklist(['decision', 'policy']);

export const DevicePatch = v.object({
  ...PatchItem.entries,
  firstSeenAt: Timestamp,
  approval: Approval,
  approvalSource: ApprovalSource,
});
export type DevicePatch = v.InferOutput<typeof DevicePatch>;

/** GET /devices/:id/patches */
export const DevicePatches = v.object({
  scannedAt: v.nullable(Timestamp),
  errors: v.array(v.string()),
  rebootPending: v.boolean(),
  items: v.array(DevicePatch),
});
export type DevicePatches = v.InferOutput<typeof DevicePatches>;

/** GET /patches: one row per update (key) across the fleet the user may see. */
export const FleetPatch = v.object({
  key: PatchKey,
  source: PatchSource,
  name: v.string(),
  title: v.string(),
  availableVersion: v.nullable(v.string()),
  classification: PatchClassification,
  severity: PatchSeverity,
  cves: v.array(v.string()),
  advisory: v.nullable(v.string()),
  rebootRequired: v.boolean(),
  /** Devices missing it. */
  devices: v.number(),
  firstSeenAt: Timestamp,
  approval: Approval,
  approvalSource: ApprovalSource,
  decidedBy: v.nullable(v.string()),
  decidedAt: v.nullable(Timestamp),
});
export type FleetPatch = v.InferOutput<typeof FleetPatch>;
export const FleetPatchPage = pageOf(FleetPatch);

export const PatchListQuery = v.object({
  q: SearchText,
  clientId: v.optional(Id),
  source: v.optional(PatchSource),
  classification: v.optional(PatchClassification),
  severity: v.optional(PatchSeverity),
  approval: v.optional(Approval),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(500))),
});

/** POST /patches/approvals: decide for many updates at once; `pending` withdraws a decision (the policy applies again). */
export const DecidePatchesBody = v.object({
  keys: v.pipe(v.array(PatchKey), v.minLength(1), v.maxLength(1000)),
  decision: Approval,
  note: v.optional(v.pipe(v.string(), v.maxLength(500)), ''),
});

/** Patch schedules: independent of other automation; each run is a `patch` job. */
export const PatchScheduleBody = v.object({
  name: Name,
  target: JobTarget,
  /** Five-field cron in `timezone`, e.g. "0 2 * * 3" (Wednesdays 02:00). */
  cron: v.pipe(v.string(), v.trim(), v.minLength(9), v.maxLength(100)),
  timezone: v.optional(v.pipe(v.string(), v.maxLength(64)), 'UTC'),
  /** Only devices inside one of their maintenance windows (the run waits for them until it expires). */
  windowOnly: v.optional(v.boolean(), false),
  /** How long a run keeps waiting for offline / out-of-window devices. */
  ttlHours: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(168)), 24),
  reboot: v.optional(RebootPolicy, 'if_needed'),
  noticeMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(240)), 15),
  maxDeferrals: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)), 2),
  enabled: v.optional(v.boolean(), true),
});
export type PatchScheduleBody = v.InferOutput<typeof PatchScheduleBody>;
export const UpdatePatchScheduleBody = v.partial(PatchScheduleBody);

export const PatchSchedule = v.object({
  id: Id,
  ...v.omit(PatchScheduleBody, ['target']).entries,
  target: v.record(v.string(), v.unknown()),
  nextRunAt: v.nullable(Timestamp),
  lastRunAt: v.nullable(Timestamp),
  lastJobId: v.nullable(Id),
  createdBy: Id,
  createdAt: Timestamp,
});
export type PatchSchedule = v.InferOutput<typeof PatchSchedule>;

/** GET /patches/compliance?days=30 */
export const ComplianceQuery = v.object({
  days: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(365)), '30'),
  clientId: v.optional(Id),
});
export const ClientCompliance = v.object({
  clientId: Id,
  clientName: v.string(),
  devices: v.number(),
  /** Devices with at least one scan. */
  scanned: v.number(),
  /** Scanned devices missing no update that is approved or awaiting approval. */
  fullyPatched: v.number(),
  /** fullyPatched / scanned, percent (null with nothing scanned). */
  percent: v.nullable(v.number()),
  /** Devices missing a critical-severity or `critical`-class update. */
  missingCritical: v.number(),
  /** Missing updates (not declined), summed over devices. */
  missingTotal: v.number(),
});
export type ClientCompliance = v.InferOutput<typeof ClientCompliance>;
export const CompliancePoint = v.object({ day: v.string(), clientId: v.nullable(Id), scanned: v.number(), fullyPatched: v.number(), missingCritical: v.number() });
export type CompliancePoint = v.InferOutput<typeof CompliancePoint>;
export const ComplianceReport = v.object({
  clients: v.array(ClientCompliance),
  total: v.omit(ClientCompliance, ['clientId', 'clientName']),
  /** One point per day per client, plus clientId null for the whole visible fleet; oldest first. */
  trend: v.array(CompliancePoint),
});
export type ComplianceReport = v.InferOutput<typeof ComplianceReport>;
