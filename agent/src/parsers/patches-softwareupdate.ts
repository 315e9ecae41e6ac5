import type { PatchClassification, PatchItem } from '../../../protocol/patches';
import { patchKey } from '../../../protocol/patches';
import { patchItem, uniqueItems } from './patches-item';

/*
 * `softwareupdate -l`. macOS 12 and later:
 *   * Label: macOS Sonoma 14.7.1-23H222
 *   	Title: macOS Sonoma 14.7.1, Version: 14.7.1, Size: 1024768KiB, Recommended: YES, Action: restart,
 * Before Catalina:
 *      * Security Update 2019-004-10.13.6
 *   	Security Update 2019-004 (10.13.6), 1973501K [recommended] [restart]
 * The label is what `softwareupdate -i` takes, so it is the key. A macOS title whose major
 * version is above the running one is an upgrade, not an update.
 */

const UNITS: Record<string, number> = { K: 1024, KIB: 1024, KB: 1000, M: 1024 ** 2, MIB: 1024 ** 2, MB: 1000 ** 2, G: 1024 ** 3, GIB: 1024 ** 3, GB: 1000 ** 3 };

function bytes(text: string | undefined): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]i?B?)$/i.exec(text?.trim() ?? '');
  return m ? Math.round(Number(m[1]) * (UNITS[m[2].toUpperCase()] ?? 1)) : null;
}

function classify(label: string, title: string, version: string | null, osMajor: number | null): PatchClassification {
  if (/security response|background security|security update|\bRSR\b|\(\w\)$/i.test(`${label} ${title}`)) return 'security';
  if (/^macOS\b/i.test(title)) {
    const major = Number(/^(\d+)/.exec(version ?? /(\d+)(?:\.\d+)*\s*$/.exec(title)?.[1] ?? '')?.[1]);
    if (osMajor !== null && Number.isFinite(major) && major > osMajor) return 'os_upgrade';
    // A point release of the running macOS: cumulative, like a Windows rollup.
    return 'update_rollup';
  }
  return 'bugfix';
}

export function parseSoftwareUpdatePatches(text: string, osMajor: number | null): PatchItem[] {
  const lines = text.split('\n');
  const items: (PatchItem | null)[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s*\*\s+(?:Label:\s*)?(.+?)\s*$/.exec(lines[i]);
    if (!head) continue;
    const label = head[1];
    const detail = (lines[i + 1] ?? '').trim();
    if (!label || label.startsWith('-') || /^\*/.test(detail)) continue;
    let title: string;
    let version: string | null;
    let size: number | null;
    let restart: boolean;
    if (/^Title:/i.test(detail)) {
      const fields = new Map<string, string>();
      for (const part of detail.split(/,\s*(?=[A-Z][A-Za-z]*:)/)) {
        const m = /^([A-Za-z]+):\s*(.*?),?\s*$/.exec(part.trim());
        if (m) fields.set(m[1].toLowerCase(), m[2]);
      }
      title = fields.get('title') ?? label;
      version = fields.get('version') || null;
      size = bytes(fields.get('size'));
      restart = /restart/i.test(fields.get('action') ?? '');
    } else {
      const m = /^(.*?)(?:\s*\(([^)]*)\))?,\s*(\d+[KMG]i?B?)\b(.*)$/i.exec(detail);
      title = m?.[1] || label;
      version = m?.[2] || null;
      size = bytes(m?.[3]);
      restart = /\[restart\]/i.test(detail);
    }
    items.push(
      patchItem({
        key: patchKey('softwareupdate', label, null),
        source: 'softwareupdate',
        name: title,
        title: version && !title.includes(version) ? `${title} ${version}` : title,
        availableVersion: version,
        classification: classify(label, title, version, osMajor),
        rebootRequired: restart,
        sizeBytes: size,
      }),
    );
  }
  return uniqueItems(items);
}
