import type { SoftwareItem } from '../../../protocol/inventory';
import { count, present, softwareItem, softwareList } from './software-items';

/*
 * dpkg-query with a fixed tab-separated format. The status comes first so a row can be judged
 * before it is read; the maintainer comes last because it is free text.
 */

export const DPKG_QUERY_ARGS = ['-W', '-f', '${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${Architecture}\\t${Installed-Size}\\t${Maintainer}\\n'];

/**
 * The abbreviated status is want/state/error ("ii ", "hi ", "rc ", "iU "). Only the state
 * says what is on disk: "i" is installed, whatever is wanted for it later (hold, remove).
 */
const installed = (abbrev: string) => abbrev.length >= 2 && abbrev[1] === 'i';

/** A "Name <address>" maintainer as the name alone; the address is not the publisher. */
function maintainerName(text: string | undefined): string | null {
  const t = present(text);
  if (!t) return null;
  return t.replace(/\s*<[^>]*>\s*$/, '').trim() || t;
}

/** Installed packages from `dpkg-query` run with DPKG_QUERY_ARGS; install times are added by the collector. */
export function parseDpkgQuery(text: string): SoftwareItem[] {
  const rows = text.split('\n').map((line) => {
    const f = line.replace(/\r$/, '').split('\t');
    if (f.length < 5 || !installed(f[0])) return null;
    const kib = count(f[4]);
    return softwareItem('dpkg', {
      name: f[1],
      version: f[2],
      arch: present(f[3]),
      sizeBytes: kib === null ? null : kib * 1024,
      publisher: maintainerName(f.slice(5).join('\t')),
    });
  });
  return softwareList(rows);
}

/**
 * Where dpkg keeps a package's file list: the file's mtime is when the package was last
 * unpacked, the nearest thing to an install date dpkg records. Packages that can be installed
 * for several architectures at once ("Multi-Arch: same") carry the architecture in the name.
 */
export function dpkgListFiles(item: Pick<SoftwareItem, 'name' | 'arch'>, infoDir = '/var/lib/dpkg/info'): string[] {
  const plain = `${infoDir}/${item.name}.list`;
  return item.arch ? [`${infoDir}/${item.name}:${item.arch}.list`, plain] : [plain];
}
