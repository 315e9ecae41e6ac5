import * as v from 'valibot';
import { FleetQuery, type NumOp, type SearchCondition, type TextOp } from '../../../../protocol/api/fleet-search';
import type { DeviceFilter } from '../../../../protocol/api/jobs';

/*
 * The query builder's editable form of a fleet query. Every condition is one flat draft with
 * every input a kind may use, so switching a condition's field keeps what still applies; the
 * draft becomes a FleetQuery (checked by the same schema the server uses) only to run or save.
 */

export type Field = SearchCondition['field'];
export type FieldKind = 'software' | 'number' | 'text' | 'version' | 'eol' | 'none';
type SoftwareMatch = 'equals' | 'contains' | 'starts_with';

export interface ConditionDraft {
  field: Field;
  op: string;
  value: string;
  name: string;
  match: SoftwareMatch;
  /** '' = any version. */
  versionOp: NumOp | '';
  versionValue: string;
}

export interface FilterDraft {
  q: string;
  clientId: string;
  siteId: string;
  status: '' | 'online' | 'offline';
  tag: string;
  groupId: string;
  platform: '' | 'linux' | 'macos' | 'windows';
}

export interface QueryDraft {
  match: 'all' | 'any';
  conditions: ConditionDraft[];
  filter: FilterDraft;
}

export const FIELDS: { group: string; fields: { field: Field; label: string; kind: FieldKind }[] }[] = [
  { group: 'Software', fields: [{ field: 'software', label: 'Software', kind: 'software' }, { field: 'software_count', label: 'Software count', kind: 'number' }] },
  {
    group: 'Hardware',
    fields: [
      { field: 'ram_gb', label: 'RAM (GB)', kind: 'number' },
      { field: 'disk_gb', label: 'Disk (GB)', kind: 'number' },
      { field: 'cpu_cores', label: 'CPU cores', kind: 'number' },
      { field: 'cpu_model', label: 'CPU model', kind: 'text' },
      { field: 'manufacturer', label: 'Manufacturer', kind: 'text' },
      { field: 'model', label: 'Model', kind: 'text' },
      { field: 'serial', label: 'Serial number', kind: 'text' },
      { field: 'chassis', label: 'Chassis', kind: 'text' },
    ],
  },
  {
    group: 'Age and warranty',
    fields: [
      { field: 'age_years', label: 'Age (years)', kind: 'number' },
      { field: 'warranty_days_left', label: 'Warranty days left', kind: 'number' },
    ],
  },
  {
    group: 'Operating system',
    fields: [
      { field: 'os_name', label: 'OS name', kind: 'text' },
      { field: 'os_version', label: 'OS version', kind: 'version' },
      { field: 'os_eol', label: 'OS end of life', kind: 'eol' },
    ],
  },
  {
    group: 'Device',
    fields: [
      { field: 'hostname', label: 'Hostname', kind: 'text' },
      { field: 'no_inventory', label: 'No inventory yet', kind: 'none' },
    ],
  },
];
const META = new Map(FIELDS.flatMap((g) => g.fields).map((f) => [f.field, f]));
export const fieldKind = (f: Field): FieldKind => META.get(f)?.kind ?? 'none';

export const NUM_OPS: { op: NumOp; label: string; version: string }[] = [
  { op: 'lt', label: 'less than', version: 'older than' },
  { op: 'lte', label: 'at most', version: 'at most' },
  { op: 'eq', label: 'equal to', version: 'exactly' },
  { op: 'gte', label: 'at least', version: 'at least' },
  { op: 'gt', label: 'more than', version: 'newer than' },
];
export const TEXT_OPS: { op: TextOp; label: string }[] = [
  { op: 'contains', label: 'contains' },
  { op: 'equals', label: 'is' },
  { op: 'starts_with', label: 'starts with' },
  { op: 'not_contains', label: 'does not contain' },
];
export const MATCHES: { match: SoftwareMatch; label: string }[] = [
  { match: 'contains', label: 'name contains' },
  { match: 'equals', label: 'name is' },
  { match: 'starts_with', label: 'name starts with' },
];

const DEFAULT_OP: Record<FieldKind, string> = { software: 'installed', number: 'lt', text: 'contains', version: 'lt', eol: 'is', none: '' };

export function newCondition(field: Field = 'software'): ConditionDraft {
  return { field, op: DEFAULT_OP[fieldKind(field)], value: '', name: '', match: 'contains', versionOp: '', versionValue: '' };
}

/** Another field: the operator resets when the new field's kind differs; typed values stay. */
export function withField(d: ConditionDraft, field: Field): ConditionDraft {
  return fieldKind(field) === fieldKind(d.field) ? { ...d, field } : { ...d, field, op: DEFAULT_OP[fieldKind(field)] };
}

export const EMPTY_FILTER: FilterDraft = { q: '', clientId: '', siteId: '', status: '', tag: '', groupId: '', platform: '' };

function toCondition(d: ConditionDraft): unknown {
  switch (fieldKind(d.field)) {
    case 'software':
      return {
        field: d.field,
        op: d.op,
        name: d.name,
        match: d.match,
        ...(d.versionOp && d.op === 'installed' ? { version: { op: d.versionOp, value: d.versionValue } } : {}),
      };
    case 'number':
      return { field: d.field, op: d.op, value: d.value.trim() === '' ? Number.NaN : Number(d.value) };
    case 'text':
    case 'version':
      return { field: d.field, op: d.op, value: d.value };
    case 'eol':
      return { field: d.field, op: d.op };
    case 'none':
      return { field: d.field };
  }
}

function toFilter(f: FilterDraft): DeviceFilter | undefined {
  const out = Object.fromEntries(Object.entries(f).map(([k, x]) => [k, x.trim()]).filter(([, x]) => x)) as DeviceFilter;
  return Object.keys(out).length ? out : undefined;
}

export type Built = { ok: true; query: FleetQuery } | { ok: false; problems: { path: string; message: string }[] };

/** The draft as a FleetQuery, or what is wrong with it (paths like "conditions.0.value"). */
export function buildQuery(d: QueryDraft): Built {
  const filter = toFilter(d.filter);
  const r = v.safeParse(FleetQuery, { match: d.match, conditions: d.conditions.map(toCondition), ...(filter ? { filter } : {}) });
  if (r.success) return { ok: true, query: r.output };
  return { ok: false, problems: r.issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message })) };
}

/** A stored query back into the builder. */
export function toDraft(q: FleetQuery): QueryDraft {
  const conditions = q.conditions.map((c): ConditionDraft => {
    const d = newCondition(c.field);
    if (c.field === 'software') return { ...d, op: c.op, name: c.name, match: c.match, versionOp: c.version?.op ?? '', versionValue: c.version?.value ?? '' };
    if ('op' in c && 'value' in c) return { ...d, op: c.op, value: String(c.value) };
    if ('op' in c) return { ...d, op: c.op };
    return d;
  });
  const filter = { ...EMPTY_FILTER } as Record<keyof FilterDraft, string>;
  for (const [k, x] of Object.entries(q.filter ?? {})) if (typeof x === 'string' && k in filter) filter[k as keyof FilterDraft] = x;
  return { match: q.match, conditions, filter: filter as FilterDraft };
}

/** A software name alone, as the fleet software list sends it: devices that have exactly it. */
export function softwareDraft(name: string): QueryDraft {
  return { match: 'all', conditions: [{ ...newCondition('software'), name, match: 'equals' }], filter: { ...EMPTY_FILTER } };
}

const cond = (p: Partial<ConditionDraft> & { field: Field }): ConditionDraft => ({ ...newCondition(p.field), ...p });

/** One click away: the questions people ask most, ready to run or adjust. */
export const EXAMPLES: { label: string; draft: QueryDraft }[] = [
  { label: 'Chrome older than 120', draft: { match: 'all', conditions: [cond({ field: 'software', name: 'chrome', versionOp: 'lt', versionValue: '120' })], filter: EMPTY_FILTER } },
  { label: 'Less than 8 GB RAM', draft: { match: 'all', conditions: [cond({ field: 'ram_gb', op: 'lt', value: '8' })], filter: EMPTY_FILTER } },
  { label: 'Older than 4 years', draft: { match: 'all', conditions: [cond({ field: 'age_years', op: 'gt', value: '4' })], filter: EMPTY_FILTER } },
  { label: 'Missing antivirus', draft: { match: 'all', conditions: [cond({ field: 'software', op: 'missing', name: 'antivirus' })], filter: EMPTY_FILTER } },
  { label: 'OS past end of life', draft: { match: 'all', conditions: [cond({ field: 'os_eol', op: 'is' })], filter: EMPTY_FILTER } },
  { label: 'No inventory yet', draft: { match: 'all', conditions: [cond({ field: 'no_inventory' })], filter: EMPTY_FILTER } },
];
