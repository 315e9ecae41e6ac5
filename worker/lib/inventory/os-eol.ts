import type { OsInventory } from '../../../protocol/inventory';
import { OS_EOL, type EolRow, type OsProduct, type WindowsEdition } from './os-eol-data';

export const EOL_STATUSES = ['supported', 'ending_soon', 'extended_only', 'end_of_life', 'unknown'] as const;
export type EolStatus = (typeof EOL_STATUSES)[number];

export type OsEol = {
  /** null when the OS is not one the table knows at all. */
  product: OsProduct | null;
  /** The release's label from the table; null when the release is not in it. */
  cycle: string | null;
  status: EolStatus;
  /** UTC midnight of the last day of standard support (support runs through that day); null when unknown or undetermined. */
  endsAt: number | null;
  extendedEndsAt: number | null;
  source: string | null;
};

/** How far ahead an approaching end is worth flagging: two quarters to plan a replacement. */
const ENDING_SOON_MS = 180 * 86_400_000;
const DAY_MS = 86_400_000;

type Identity = { product: OsProduct; version: string; edition?: WindowsEdition };

const leadingInt = (s: string | null | undefined) => /^\d+/.exec(s?.trim() ?? '')?.[0] ?? null;

/** Windows reports "10.0.22631" (or "6.3.9600"); the third part is the build that names the release. */
function windowsBuild(os: Pick<OsInventory, 'version' | 'build'>): string | null {
  const parts = os.version.trim().split('.');
  if (parts.length >= 3 && /^\d+$/.test(parts[2])) return String(Number(parts[2]));
  return leadingInt(os.build);
}

function windowsEdition(name: string): WindowsEdition {
  if (/\bLTS[BC]\b/i.test(name)) return 'ltsc';
  // "Pro Education" is serviced like Pro; plain Education like Enterprise.
  if (/\bEnterprise\b/i.test(name) || (/\bEducation\b/i.test(name) && !/\bPro Education\b/i.test(name))) return 'enterprise';
  return 'consumer';
}

/** Major (or Ubuntu's year.month) from strings like "22.04.4 LTS", "9.3", "12", "40 (Workstation Edition)". */
function linuxVersion(product: OsProduct, version: string): string | null {
  const m = /^\s*(\d+)(?:\.(\d+))?/.exec(version);
  if (!m) return null;
  if (product === 'ubuntu') return m[2] === undefined ? null : `${m[1]}.${m[2].padStart(2, '0')}`;
  return String(Number(m[1]));
}

const LINUX: [RegExp, OsProduct][] = [
  [/ubuntu/i, 'ubuntu'],
  [/debian/i, 'debian'],
  [/red ?hat|\brhel\b/i, 'rhel'],
  [/rocky/i, 'rocky'],
  [/alma/i, 'alma'],
  [/centos stream/i, 'centos-stream'],
  [/centos/i, 'centos'],
  [/fedora/i, 'fedora'],
];

function identify(os: Pick<OsInventory, 'platform' | 'name' | 'version' | 'build'>): { product: OsProduct | null; id: Identity | null } {
  const name = os.name.trim();
  if (os.platform === 'win32' || /^microsoft windows|^windows\b/i.test(name)) {
    const product: OsProduct = /\bserver\b/i.test(name) ? 'windows-server' : 'windows';
    const build = windowsBuild(os);
    if (!build) return { product, id: null };
    return { product, id: product === 'windows' ? { product, version: build, edition: windowsEdition(name) } : { product, version: build } };
  }
  if (os.platform === 'darwin' || /mac ?os|os x/i.test(name)) {
    const major = leadingInt(os.version);
    return { product: 'macos', id: major ? { product: 'macos', version: String(Number(major)) } : null };
  }
  const product = LINUX.find(([re]) => re.test(name))?.[1] ?? null;
  if (!product) return { product: null, id: null };
  const version = linuxVersion(product, os.version);
  return { product, id: version ? { product, version } : null };
}

function findRow(id: Identity): EolRow | undefined {
  const candidates = OS_EOL.filter((r) => r.product === id.product && r.version === id.version);
  // An edition-specific row wins over one that holds for every edition.
  return candidates.find((r) => r.edition === id.edition) ?? candidates.find((r) => r.edition === undefined);
}

const day = (iso: string | null) => (iso === null ? null : Date.parse(`${iso}T00:00:00Z`));

function statusAt(endsAt: number | null, extendedEndsAt: number | null, now: number): EolStatus {
  if (endsAt === null) return 'supported';
  if (now < endsAt + DAY_MS - ENDING_SOON_MS) return 'supported';
  if (now < endsAt + DAY_MS) return 'ending_soon';
  if (extendedEndsAt !== null && now < extendedEndsAt + DAY_MS) return 'extended_only';
  return 'end_of_life';
}

/** The support status of an OS as inventory reports it, at `now` (ms). */
export function osEndOfLife(os: Pick<OsInventory, 'platform' | 'name' | 'version' | 'build'>, now: number): OsEol {
  const { product, id } = identify(os);
  const row = id ? findRow(id) : undefined;
  if (!row) return { product, cycle: null, status: 'unknown', endsAt: null, extendedEndsAt: null, source: null };
  const endsAt = day(row.supportEndsAt);
  const extendedEndsAt = day(row.extendedEndsAt);
  return { product: row.product, cycle: row.cycle, status: statusAt(endsAt, extendedEndsAt, now), endsAt, extendedEndsAt, source: row.source };
}
