import type { SoftwareItem } from '../../../protocol/inventory';
import { asArray, asRecord, psNumber, psString } from '../powershell';
import { softwareItem, softwareList } from './software-items';

/*
 * macOS software: application bundles as system_profiler finds them, and Homebrew's own
 * record of what it installed. Both are JSON; fields a version lacks stay unknown.
 */

export const SYSTEM_PROFILER_APPS_ARGS = ['SPApplicationsDataType', '-json'];

/** obtained_from values that name the vendor outright. */
const VENDOR: Record<string, string> = { apple: 'Apple Inc.' };

/** "Developer ID Application: Google LLC (EQHXZ8M8AV)" → "Google LLC". */
function developer(signedBy: unknown): string | null {
  const first = Array.isArray(signedBy) ? signedBy[0] : signedBy;
  if (typeof first !== 'string') return null;
  const m = /^(?:Developer ID Application|Apple Development|Apple Distribution):\s*(.+?)(?:\s*\([A-Z0-9]{10}\))?$/.exec(first.trim());
  return m ? m[1] : null;
}

const epochMs = (text: unknown): number | null => {
  const ms = typeof text === 'string' ? Date.parse(text) : NaN;
  return Number.isFinite(ms) ? ms : null;
};

/**
 * `system_profiler SPApplicationsDataType -json`. Bundles inside /System/Library are parts
 * of macOS (helpers, agents, panes), not applications anyone installed or can remove.
 */
export function parseSystemProfilerApps(json: unknown): SoftwareItem[] {
  const apps = asArray(asRecord(json)?.SPApplicationsDataType);
  const rows = apps.map((app) => {
    const path = psString(app.path, 4096) ?? '';
    if (path.startsWith('/System/Library/')) return null;
    const from = psString(app.obtained_from);
    return softwareItem('macos_app', {
      name: psString(app._name, 1000),
      version: psString(app.version, 1000),
      publisher: (from && VENDOR[from]) ?? developer(app.signed_by),
      installedAt: epochMs(app.lastModified),
    });
  });
  return softwareList(rows);
}

/**
 * `brew info --json=v2 --installed`. A formula can be installed in several versions (the
 * last is the linked one); a cask records one. Names of third-party taps keep the tap
 * ("owner/tap/name") so they cannot pass for the core formula of the same name.
 */
export function parseBrewInfo(json: unknown): SoftwareItem[] {
  const doc = asRecord(json);
  const formulae = asArray(doc?.formulae).map((f) => {
    const installs = asArray(f.installed);
    const last = installs[installs.length - 1];
    if (!last) return null;
    const time = psNumber(last.time);
    return softwareItem('homebrew', {
      name: psString(f.full_name, 1000) ?? psString(f.name, 1000),
      version: psString(last.version, 1000),
      installedAt: time === null ? null : time * 1000,
    });
  });
  const casks = asArray(doc?.casks).map((c) => {
    const installed = psString(c.installed, 1000);
    if (!installed) return null;
    const time = psNumber(c.installed_time);
    return softwareItem('homebrew', {
      name: psString(c.full_token, 1000) ?? psString(c.token, 1000),
      version: installed,
      installedAt: time === null ? null : time * 1000,
    });
  });
  return softwareList([...formulae, ...casks]);
}
