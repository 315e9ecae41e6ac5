import { windowActiveAt, windowNextChange } from '../../protocol/api/maintenance';
import type { Window } from './config-cache';

/*
 * Jobs sent only inside maintenance windows: which scopes have a window open now, and when
 * that next changes (the hub looks again then).
 */

export interface OpenScopes {
  deviceIds: string[];
  clientIds: string[];
  siteIds: string[];
  groupIds: string[];
}

export function openScopes(windows: readonly Window[], at: number): OpenScopes {
  const out: OpenScopes = { deviceIds: [], clientIds: [], siteIds: [], groupIds: [] };
  const list = { device: out.deviceIds, client: out.clientIds, site: out.siteIds, group: out.groupIds };
  for (const w of windows) if (windowActiveAt(w.schedule, at)) list[w.scopeType].push(w.scopeId);
  return out;
}

/** The soonest start or end of any window after `at`, or null when none is coming. */
export function nextWindowChange(windows: readonly Window[], at: number): number | null {
  let next: number | null = null;
  for (const w of windows) {
    const change = windowNextChange(w.schedule, at);
    if (change !== null && change > at && (next === null || change < next)) next = change;
  }
  return next;
}
