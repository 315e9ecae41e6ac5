import type { PatchClassification, PatchItem } from '../../../protocol/patches';
import { patchKey } from '../../../protocol/patches';
import { asArray, asRecord, psBool, psNumber, psString } from '../powershell';
import { patchItem, severityWord, uniqueItems } from './patches-item';

/*
 * The Windows Update Agent search, as the scan script prints it: {RebootRequired, Updates:
 * [{Title, KBArticleIDs, MsrcSeverity, Categories, CveIDs, RebootRequired, MaxDownloadSize,
 * LastDeploymentChangeTime, UpdateID}]}. Categories mix the classification ("Security
 * Updates") with products ("Windows 11"); the first classification found decides.
 */

const CATEGORIES: [string, PatchClassification][] = [
  ['security updates', 'security'],
  ['critical updates', 'critical'],
  ['update rollups', 'update_rollup'],
  ['definition updates', 'definition'],
  ['drivers', 'driver'],
  ['feature packs', 'feature_pack'],
  ['upgrades', 'os_upgrade'],
  ['updates', 'bugfix'],
];

export function wuaClassification(categories: readonly string[]): PatchClassification {
  const names = categories.map((c) => c.trim().toLowerCase());
  return CATEGORIES.find(([name]) => names.includes(name))?.[1] ?? 'other';
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map((x) => String(x).trim()).filter(Boolean);

export const WUA_UPDATE_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function parseWuaScan(json: unknown): { items: PatchItem[]; rebootRequired: boolean | null } {
  const doc = asRecord(json);
  const items = asArray(doc?.Updates).map((u) => {
    const title = psString(u.Title, 500);
    const updateId = psString(u.UpdateID, 100);
    const kb = strings(u.KBArticleIDs).map((k) => k.replace(/^KB/i, '')).find((k) => /^\d+$/.test(k));
    if (!title || (!kb && !(updateId && WUA_UPDATE_ID.test(updateId)))) return null;
    const released = psString(u.LastDeploymentChangeTime, 100);
    const at = released ? Date.parse(released) : NaN;
    return patchItem({
      key: patchKey('wua', kb ? `KB${kb}` : updateId!.toLowerCase(), null),
      source: 'wua',
      name: title,
      title,
      classification: wuaClassification(strings(u.Categories)),
      severity: severityWord(psString(u.MsrcSeverity)),
      cves: strings(u.CveIDs),
      advisory: kb ? `KB${kb}` : null,
      rebootRequired: psBool(u.RebootRequired) ?? false,
      sizeBytes: psNumber(u.MaxDownloadSize),
      releasedAt: Number.isFinite(at) ? at : null,
    });
  });
  return { items: uniqueItems(items), rebootRequired: psBool(doc?.RebootRequired) };
}

/** The install script's answer per key: WUA's OperationResultCode 2 (succeeded) and 3 (with errors) installed it. */
export function parseWuaInstall(json: unknown): { results: { key: string; ok: boolean; error: string | null }[]; rebootRequired: boolean } | null {
  const doc = asRecord(json);
  if (!doc) return null;
  const results = asArray(doc.Results).flatMap((r) => {
    const key = psString(r.Key, 300);
    if (!key) return [];
    const code = psNumber(r.ResultCode);
    const ok = code === 2 || code === 3;
    const hresult = psNumber(r.HResult);
    const hex = hresult === null ? '' : ` (0x${(hresult >>> 0).toString(16).padStart(8, '0')})`;
    return [{ key, ok, error: ok ? null : psString(r.Error, 400) ?? `Windows Update result code ${code ?? 'unknown'}${hex}` }];
  });
  return { results, rebootRequired: psBool(doc.RebootRequired) ?? false };
}
