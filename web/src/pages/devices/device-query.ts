import type { Device } from '../../state/devices';

export const SORT_KEYS = ['hostname', 'client', 'site', 'status', 'lastSeen', 'os', 'agent'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface Sort {
  key: SortKey;
  desc: boolean;
}

export interface DeviceFilter {
  q: string;
  clientId: string;
  siteId: string;
  status: '' | 'online' | 'offline';
  tag: string;
  groupId: string;
}

export const NO_FILTER: DeviceFilter = { q: '', clientId: '', siteId: '', status: '', tag: '', groupId: '' };

/** `?sort=-lastSeen` ⇄ { key: 'lastSeen', desc: true }; anything unknown falls back to hostname. */
export function parseSort(raw: string | undefined): Sort {
  const desc = !!raw?.startsWith('-');
  const key = (desc ? raw!.slice(1) : raw) as SortKey;
  return SORT_KEYS.includes(key) ? { key, desc } : { key: 'hostname', desc: false };
}

export function formatSort(s: Sort): string {
  return (s.desc ? '-' : '') + s.key;
}

export function osLabel(d: Pick<Device, 'osName' | 'osVersion'>): string {
  return [d.osName, d.osVersion].filter(Boolean).join(' ');
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const text: Record<Exclude<SortKey, 'lastSeen' | 'status'>, (d: Device) => string> = {
  hostname: (d) => d.hostname,
  client: (d) => d.clientName ?? '',
  site: (d) => d.siteName ?? '',
  os: osLabel,
  agent: (d) => d.agentVersion,
};

function comparator(sort: Sort): (a: Device, b: Device) => number {
  const byHost = (a: Device, b: Device) => collator.compare(a.hostname, b.hostname) || (a.id < b.id ? -1 : 1);
  let primary: (a: Device, b: Device) => number;
  if (sort.key === 'lastSeen') primary = (a, b) => (a.lastSeenAt ?? 0) - (b.lastSeenAt ?? 0);
  // Online first reads naturally as "ascending" for a status column.
  else if (sort.key === 'status') primary = (a, b) => (a.status === b.status ? 0 : a.status === 'online' ? -1 : 1);
  else {
    const get = text[sort.key];
    primary = (a, b) => collator.compare(get(a), get(b));
  }
  const dir = sort.desc ? -1 : 1;
  return (a, b) => dir * primary(a, b) || byHost(a, b);
}

function matchesText(d: Device, needle: string): boolean {
  if (d.hostname.toLowerCase().includes(needle)) return true;
  if (d.displayName && d.displayName.toLowerCase().includes(needle)) return true;
  return (d.ipAddresses ?? []).some((ip) => ip.toLowerCase().includes(needle));
}

/**
 * Filter and sort in one pass over plain rows; ~10 ms for 10,000 devices. Group membership
 * is not on the rows: with `f.groupId` set, `members` holds the group's device ids.
 */
export function queryDevices(all: Device[], f: DeviceFilter, sort: Sort, members?: ReadonlySet<string>): Device[] {
  const needle = f.q.trim().toLowerCase();
  const out = all.filter(
    (d) =>
      (!f.groupId || !!members?.has(d.id)) &&
      (!f.clientId || d.clientId === f.clientId) &&
      (!f.siteId || d.siteId === f.siteId) &&
      (!f.status || d.status === f.status) &&
      (!f.tag || (d.tags ?? []).includes(f.tag)) &&
      (!needle || matchesText(d, needle)),
  );
  return out.sort(comparator(sort));
}

export interface FilterOptions {
  clients: { id: string; name: string }[];
  sites: { id: string; name: string; clientId: string }[];
  tags: string[];
}

/** Choices for the filter menus, from the devices themselves: every choice matches something. */
export function filterOptions(all: Device[]): FilterOptions {
  const clients = new Map<string, string>();
  const sites = new Map<string, { id: string; name: string; clientId: string }>();
  const tags = new Set<string>();
  for (const d of all) {
    clients.set(d.clientId, d.clientName ?? d.clientId);
    sites.set(d.siteId, { id: d.siteId, name: d.siteName ?? d.siteId, clientId: d.clientId });
    for (const t of d.tags ?? []) tags.add(t);
  }
  const byName = (a: { name: string }, b: { name: string }) => collator.compare(a.name, b.name);
  return {
    clients: [...clients].map(([id, name]) => ({ id, name })).sort(byName),
    sites: [...sites.values()].sort(byName),
    tags: [...tags].sort(collator.compare),
  };
}
