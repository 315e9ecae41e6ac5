import * as v from 'valibot';
import { PatchItem, type PatchClassification, type PatchSeverity, type PatchSource } from '../../../protocol/patches';

/*
 * What every patch parser shares: tool text is trimmed and cut to the schema's limits, and an
 * item that still fails the schema (a key too long, a stray control character) is left out
 * rather than allowed to spoil the whole scan.
 */

export interface PatchFields {
  key: string;
  source: PatchSource;
  name: string;
  title?: string;
  installedVersion?: string | null;
  availableVersion?: string | null;
  classification: PatchClassification;
  severity?: PatchSeverity;
  cves?: readonly string[];
  advisory?: string | null;
  rebootRequired?: boolean;
  sizeBytes?: number | null;
  releasedAt?: number | null;
}

export function clip(text: string, max: number): string {
  return text.replace(/[\0\r\n]+/g, ' ').trim().slice(0, max);
}

const clipOrNull = (text: string | null | undefined, max: number) => (text && clip(text, max)) || null;

const CVE = /\bCVE-\d{4}-\d{4,}\b/g;

/** Every CVE id in the texts, once each, in the order found. */
export function cveIds(...texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(CVE)) found.add(m[0]);
  return [...found].slice(0, 200);
}

export function patchItem(f: PatchFields): PatchItem | null {
  const name = clip(f.name, 300);
  const parsed = v.safeParse(PatchItem, {
    key: f.key,
    source: f.source,
    name,
    title: clip(f.title ?? name, 500),
    installedVersion: clipOrNull(f.installedVersion, 100),
    availableVersion: clipOrNull(f.availableVersion, 100),
    classification: f.classification,
    severity: f.severity ?? 'unknown',
    cves: cveIds(...(f.cves ?? [])),
    advisory: clipOrNull(f.advisory, 100),
    rebootRequired: f.rebootRequired ?? false,
    sizeBytes: f.sizeBytes !== undefined && f.sizeBytes !== null && Number.isFinite(f.sizeBytes) && f.sizeBytes >= 0 ? f.sizeBytes : null,
    releasedAt: f.releasedAt !== undefined && f.releasedAt !== null && Number.isFinite(f.releasedAt) ? f.releasedAt : null,
  });
  return parsed.success ? parsed.output : null;
}

/** Items once per key (the first wins); the scan caps the total, most severe first. */
export function uniqueItems(items: readonly (PatchItem | null)[]): PatchItem[] {
  const byKey = new Map<string, PatchItem>();
  for (const item of items) if (item && !byKey.has(item.key)) byKey.set(item.key, item);
  return [...byKey.values()];
}

const SEVERITY_WORDS: Record<string, PatchSeverity> = { critical: 'critical', important: 'important', moderate: 'moderate', low: 'low' };

/** "Important", "Critical/Sec.", "moderate": the vendor's word, or unknown. */
export function severityWord(text: string | null | undefined): PatchSeverity {
  const word = (text ?? '').trim().toLowerCase().split('/')[0];
  return SEVERITY_WORDS[word] ?? 'unknown';
}
