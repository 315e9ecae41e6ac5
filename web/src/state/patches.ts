import type * as v from 'valibot';
import type {
  Approval,
  ComplianceReport,
  DecidePatchesBody,
  DevicePatch,
  DevicePatches,
  FleetPatch,
  PatchPolicy,
  PatchPolicyView,
  PatchSchedule,
  PatchScheduleBody,
  PolicyRule,
} from '../../../protocol/api/patches';
import { PatchClassification, PatchSeverity, PatchSource, RebootPolicy, type PatchKey } from '../../../protocol/patches';
import { api, call } from '../api/client';
import type { Page } from '../lib/paged-list';
import { compact, queryString } from '../lib/query';

export type { Approval, ComplianceReport, DevicePatch, DevicePatches, FleetPatch, PatchPolicy, PatchSchedule, PolicyRule };
export type PolicyView = v.InferOutput<typeof PatchPolicyView>;
export type ScheduleDraft = v.InferInput<typeof PatchScheduleBody>;
export type Decision = v.InferInput<typeof DecidePatchesBody>['decision'];
export type PatchSourceName = v.InferOutput<typeof PatchSource>;
export type Classification = v.InferOutput<typeof PatchClassification>;
export type Severity = v.InferOutput<typeof PatchSeverity>;
export type Reboot = v.InferOutput<typeof RebootPolicy>;
/** A fleet row keyed for the list helpers (one row per update key). */
export type FleetPatchRow = FleetPatch & { id: PatchKey };

export const SOURCES = PatchSource.options;
export const CLASSIFICATIONS = PatchClassification.options;
export const SEVERITIES = PatchSeverity.options;
export const REBOOTS = RebootPolicy.options;
export const APPROVALS: Approval[] = ['approved', 'pending', 'declined'];

export const SOURCE_LABEL: Record<PatchSourceName, string> = { apt: 'apt', dnf: 'dnf', softwareupdate: 'macOS updates', brew: 'Homebrew', wua: 'Windows Update' };
export const CLASSIFICATION_LABEL: Record<Classification, string> = {
  security: 'Security',
  critical: 'Critical',
  update_rollup: 'Update rollup',
  feature_pack: 'Feature pack',
  driver: 'Driver',
  definition: 'Definitions',
  bugfix: 'Bug fix',
  enhancement: 'Enhancement',
  os_upgrade: 'OS upgrade',
  other: 'Other',
};
export const REBOOT_LABEL: Record<Reboot, string> = { never: 'Never', if_needed: 'If needed', always: 'Always' };

export interface PatchQuery {
  q?: string;
  clientId?: string;
  source?: string;
  classification?: string;
  severity?: string;
  approval?: string;
}

export async function listFleetPatches(q: PatchQuery, cursor?: string): Promise<Page<FleetPatchRow>> {
  const page = await call(api.patches.$get({ query: compact({ ...q, cursor, limit: '100' }) as never }));
  return { items: page.items.map((p) => ({ ...p, id: p.key })), nextCursor: page.nextCursor };
}

/** `pending` withdraws the decision: the policy decides again. */
export function decidePatches(keys: string[], decision: Decision, note = ''): Promise<unknown> {
  return call(api.patches.approvals.$post({ json: { keys, decision, note } }));
}

export function loadPolicies(): Promise<PolicyView[]> {
  return call(api.patches.policies.$get());
}

/** clientId null: the tenant's policy. */
export function savePolicy(clientId: string | null, policy: PatchPolicy): Promise<PolicyView> {
  const json = { policy };
  return call(clientId === null ? api.patches.policies.tenant.$put({ json }) : api.patches.policies[':clientId'].$put({ param: { clientId }, json }));
}

/** The client follows the tenant's policy again. */
export function deletePolicy(clientId: string): Promise<unknown> {
  return call(api.patches.policies[':clientId'].$delete({ param: { clientId } }));
}

export function listSchedules(): Promise<PatchSchedule[]> {
  return call(api.patches.schedules.$get());
}

export function createSchedule(json: ScheduleDraft): Promise<PatchSchedule> {
  return call(api.patches.schedules.$post({ json }));
}

export function updateSchedule(id: string, json: Partial<ScheduleDraft>): Promise<PatchSchedule> {
  return call(api.patches.schedules[':id'].$patch({ param: { id }, json }));
}

export function deleteSchedule(id: string): Promise<unknown> {
  return call(api.patches.schedules[':id'].$delete({ param: { id } }));
}

/** Starts a run now; resolves to the job it created. */
export async function runSchedule(id: string): Promise<string> {
  return (await call(api.patches.schedules[':id'].run.$post({ param: { id } }))).id;
}

export interface ComplianceQuery {
  days: string;
  clientId?: string;
}

export function loadCompliance(q: ComplianceQuery): Promise<ComplianceReport> {
  return call(api.patches.compliance.$get({ query: compact({ ...q }) as never }));
}

export function complianceCsvHref(q: ComplianceQuery): string {
  return `/api/v1/patches/compliance.csv${queryString({ ...q })}`;
}

export function loadDevicePatches(deviceId: string): Promise<DevicePatches> {
  return call(api.devices[':id'].patches.$get({ param: { id: deviceId } }));
}
