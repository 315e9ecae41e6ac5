import type { DeviceLifecycle, Grade, LifecycleReport, LifecycleRow, LifecycleSettings } from '../../../../protocol/api/lifecycle';
import { api, call } from '../../api/client';
import type { Page } from '../../lib/paged-list';
import { compact, queryString } from '../../lib/query';

export type { DeviceLifecycle, Grade, LifecycleSettings };
/** A report row keyed for the list page (one row per device). */
export type LifecycleItem = LifecycleRow & { id: string };
export type LifecycleSummary = LifecycleReport['summary'];

export const GRADES: Grade[] = ['A', 'B', 'C', 'D', 'F'];

export interface LifecycleQuery {
  clientId?: string;
  grade?: Grade;
}

/** One page of the report; the summary rides along with every page (it is the same for each). */
export async function listLifecycle(q: LifecycleQuery, cursor?: string, onSummary?: (s: LifecycleSummary) => void): Promise<Page<LifecycleItem>> {
  const page = await call(api.reports.lifecycle.$get({ query: compact({ ...q, cursor, limit: '100' }) }));
  onSummary?.(page.summary);
  return { items: page.items.map((r) => ({ ...r, id: r.deviceId })), nextCursor: page.nextCursor };
}

export function lifecycleCsvHref(q: LifecycleQuery): string {
  return `/api/v1/reports/lifecycle.csv${queryString({ ...q })}`;
}

export function loadDeviceLifecycle(id: string): Promise<DeviceLifecycle> {
  return call(api.devices[':id'].lifecycle.$get({ param: { id } }));
}

export function loadLifecycleSettings(): Promise<LifecycleSettings> {
  return call(api.settings.lifecycle.$get());
}

export function saveLifecycleSettings(json: LifecycleSettings): Promise<LifecycleSettings> {
  return call(api.settings.lifecycle.$put({ json }));
}

/** The colour a grade or a component score wears: good, worth a look, or bad. */
export function scoreTone(score: number | null): 'ok' | 'info' | 'warn' | 'bad' | 'muted' {
  if (score === null) return 'muted';
  if (score >= 75) return 'ok';
  if (score >= 60) return 'info';
  if (score >= 40) return 'warn';
  return 'bad';
}

export const asGrade = (s: string | undefined): Grade | undefined => GRADES.find((g) => g === s);
