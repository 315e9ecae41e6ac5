import * as v from 'valibot';
import { CheckDef, type CheckType, type Severity } from '../../../../protocol/checks';
import { ApiFailure } from '../../api/errors';
import { TYPE_DEFAULTS, TYPE_FIELDS, type Draft } from './check-fields';

/** The editor's state: the common fields, and every type-specific one as the inputs hold it. */
export interface CheckForm {
  type: CheckType;
  key: string;
  name: string;
  severity: Severity;
  enabled: boolean;
  fields: Draft;
}

export function blankForm(type: CheckType = 'metric'): CheckForm {
  return { type, key: '', name: '', severity: 'warning', enabled: true, fields: { ...TYPE_DEFAULTS[type] } };
}

export function formOf(check: CheckDef): CheckForm {
  const fields: Draft = {};
  const raw = check as unknown as Record<string, unknown>;
  for (const f of TYPE_FIELDS[check.type]) {
    const value = raw[f.name];
    if (value === undefined || value === null) continue;
    fields[f.name] = f.kind === 'bool' ? Boolean(value) : Array.isArray(value) ? value.join(', ') : String(value);
  }
  return { type: check.type, key: check.key, name: check.name, severity: check.severity, enabled: check.enabled, fields };
}

/** A key from a name: "Disk C: low" → "disk-c-low". */
export function keyFrom(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}

/**
 * The form as a check, judged by the protocol's own schema: the same rules the API applies,
 * with the failures named by field. Empty optional inputs are left out so defaults apply.
 */
export function toCheck(form: CheckForm): { check: CheckDef } | { failure: ApiFailure } {
  const out: Record<string, unknown> = { type: form.type, key: form.key.trim(), name: form.name.trim(), severity: form.severity, enabled: form.enabled };
  const issues: { path: string; message: string }[] = [];
  for (const f of TYPE_FIELDS[form.type]) {
    const value = form.fields[f.name];
    if (f.kind === 'bool') {
      out[f.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') {
      if (f.required) {
        if (f.kind === 'number') issues.push({ path: f.name, message: 'required' });
        else out[f.name] = '';
      }
      continue;
    }
    if (f.kind === 'number') {
      const n = Number(text);
      if (Number.isFinite(n)) out[f.name] = n;
      else issues.push({ path: f.name, message: 'not a number' });
    } else if (f.kind === 'numbers') {
      const list = text.split(/[\s,]+/).filter(Boolean).map(Number);
      if (list.every(Number.isInteger)) out[f.name] = list;
      else issues.push({ path: f.name, message: 'whole numbers, separated by commas' });
    } else if (f.kind === 'words') {
      out[f.name] = text.split(/[\s,]+/).filter(Boolean);
    } else {
      out[f.name] = f.kind === 'textarea' ? (value as string) : text;
    }
  }
  const parsed = v.safeParse(CheckDef, out);
  if (!parsed.success) {
    for (const i of parsed.issues) issues.push({ path: v.getDotPath(i) ?? '', message: i.message });
  }
  if (issues.length || !parsed.success) {
    // Only one message per field: the first one the schema reached.
    const seen = new Set<string>();
    const unique = issues.filter((i) => !seen.has(i.path) && seen.add(i.path));
    return { failure: new ApiFailure(400, 'validation_failed', 'check is not valid', unique) };
  }
  return { check: parsed.output };
}
