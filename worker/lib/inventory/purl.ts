import type { OsInventory, SoftwareItem } from '../../../protocol/inventory';

/*
 * Package URLs (https://github.com/package-url/purl-spec) for inventoried software, so an SBOM
 * can be matched against vulnerability databases. Only dpkg and rpm have registered purl types
 * that fit (deb, rpm). Homebrew, snap, flatpak, winget, Chocolatey, macOS apps and the Windows
 * uninstall registry have none, so they become `pkg:generic`, namespaced by the publisher where
 * one is known and carrying a `source` qualifier naming where the entry came from — a consumer
 * can tell a Homebrew formula from a registry entry of the same name without us inventing types.
 */

export type PurlParts = {
  type: string;
  namespace?: string | null;
  name: string;
  version?: string | null;
  qualifiers?: Record<string, string | null | undefined>;
};

/** Percent-encodes everything but alphanumerics, `.-_~` and the colon, which the spec leaves bare everywhere. */
export function encodePurlComponent(s: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9.\-_~:]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function buildPurl(p: PurlParts): string {
  let out = `pkg:${p.type.toLowerCase()}/`;
  const segments = (p.namespace ?? '').split('/').filter(Boolean);
  if (segments.length) out += `${segments.map(encodePurlComponent).join('/')}/`;
  out += encodePurlComponent(p.name.replace(/^\/+|\/+$/g, ''));
  if (p.version) out += `@${encodePurlComponent(p.version)}`;
  const qualifiers = Object.entries(p.qualifiers ?? {})
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')
    .map(([k, val]) => `${k.toLowerCase()}=${encodePurlComponent(val)}`)
    .sort();
  if (qualifiers.length) out += `?${qualifiers.join('&')}`;
  return out;
}

/** Lowercase dash-separated form of a vendor name, for a generic namespace. */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

/** The distribution vendor as purl namespaces name it (matching os-release IDs). */
function distroId(osName: string): string {
  const known: [RegExp, string][] = [
    [/ubuntu/i, 'ubuntu'],
    [/debian/i, 'debian'],
    [/red ?hat|\brhel\b/i, 'rhel'],
    [/rocky/i, 'rocky'],
    [/alma/i, 'almalinux'],
    [/centos/i, 'centos'],
    [/fedora/i, 'fedora'],
    [/opensuse/i, 'opensuse'],
    [/suse/i, 'sles'],
  ];
  return known.find(([re]) => re.test(osName))?.[1] ?? (slug(osName) || 'linux');
}

type OsForPurl = Pick<OsInventory, 'name' | 'version'> | null;

/** `distro` qualifier as purl examples write it: vendor and release, e.g. "debian-12", "ubuntu-22.04". */
function distroQualifier(id: string, os: OsForPurl) {
  const release = /^\s*(\d+(?:\.\d+)?)/.exec(os?.version ?? '')?.[1];
  return release ? `${id}-${release}` : null;
}

export function softwarePurl(item: SoftwareItem, os: OsForPurl): string {
  const version = item.version.trim() || null;
  if (item.source === 'dpkg' || item.source === 'rpm') {
    const id = os ? distroId(os.name) : item.source === 'dpkg' ? 'debian' : 'linux';
    const distro = os ? distroQualifier(id, os) : null;
    if (item.source === 'dpkg') {
      // Debian keeps the epoch inside the version ("1:2.3-4"); package names are lowercase by policy.
      return buildPurl({ type: 'deb', namespace: id, name: item.name.toLowerCase(), version, qualifiers: { arch: item.arch, distro } });
    }
    // The rpm type moves an epoch out of the version into its own qualifier.
    const m = version ? /^(\d+):(.+)$/.exec(version) : null;
    return buildPurl({ type: 'rpm', namespace: id, name: item.name, version: m ? m[2] : version, qualifiers: { arch: item.arch, distro, epoch: m?.[1] } });
  }
  return buildPurl({
    type: 'generic',
    namespace: item.publisher ? slug(item.publisher) || null : null,
    name: item.name,
    version,
    qualifiers: { arch: item.arch, source: item.source },
  });
}
