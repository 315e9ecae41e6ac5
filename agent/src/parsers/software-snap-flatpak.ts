import type { SoftwareItem } from '../../../protocol/inventory';
import { present, softwareItem, softwareList } from './software-items';

/*
 * The sandboxed app stores on Linux. Neither records an install date the CLI shows; flatpak
 * shows a size, snap shows neither, so those stay unknown.
 */

/** Publisher verification marks: ✓ verified, ✪ starred, or ** and * without Unicode. */
const unmarked = (publisher: string) => publisher.replace(/[✓✪*]+$/u, '');

/**
 * `snap list`: a header row (Name Version Rev Tracking Publisher Notes; "Developer" before
 * snapd 2.36) and whitespace-separated columns, none of which contains spaces.
 */
export function parseSnapList(text: string): SoftwareItem[] {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const header = lines[0]?.split(/\s+/).map((h) => h.toLowerCase()) ?? [];
  const col = (name: string) => header.indexOf(name);
  const name = col('name');
  const version = col('version');
  const publisher = col('publisher') >= 0 ? col('publisher') : col('developer');
  if (name < 0 || version < 0) return [];
  const rows = lines.slice(1).map((line) => {
    const f = line.split(/\s+/);
    if (f.length < header.length) return null;
    const by = publisher >= 0 ? present(f[publisher]) : null;
    return softwareItem('snap', { name: f[name], version: f[version], publisher: by ? unmarked(by) : null });
  });
  return softwareList(rows);
}

export const FLATPAK_LIST_ARGS = ['list', '--app', '--columns=application,version,arch,size'];

const UNITS: Record<string, number> = { byte: 1, bytes: 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/**
 * GLib's human size ("1.2 GB", "512 bytes"; newer GLib puts a no-break space before the unit,
 * some locales a decimal comma). Approximate by nature: flatpak prints nothing finer.
 */
export function parseHumanSize(text: string | undefined): number | null {
  const m = /^(\d+(?:[.,]\d+)?)[\s\u00a0]*([a-z]+)$/i.exec(text?.trim() ?? '');
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  return m && unit ? Math.round(Number(m[1].replace(',', '.')) * unit) : null;
}

/**
 * `flatpak list` with FLATPAK_LIST_ARGS: tab-separated when not printing to a terminal. The
 * application ID is the name: display names are not unique and change with translations.
 */
export function parseFlatpakList(text: string): SoftwareItem[] {
  const rows = text.split('\n').map((line) => {
    const f = line.replace(/\r$/, '').split('\t');
    if (f.length < 4 || f[0] === 'Application ID') return null;
    return softwareItem('flatpak', { name: f[0], version: f[1], arch: present(f[2]), sizeBytes: parseHumanSize(f[3]) });
  });
  return softwareList(rows);
}
