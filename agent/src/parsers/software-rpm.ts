import type { SoftwareItem } from '../../../protocol/inventory';
import { count, present, softwareItem, softwareList } from './software-items';

export const RPM_QUERY_ARGS = ['-qa', '--queryformat', '%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{VENDOR}\\t%{INSTALLTIME}\\t%{SIZE}\\t%{ARCH}\\n'];

/** `rpm -qa` run with RPM_QUERY_ARGS. Imported signing keys are rpm entries, not software. */
export function parseRpmQuery(text: string): SoftwareItem[] {
  const rows = text.split('\n').map((line) => {
    const f = line.replace(/\r$/, '').split('\t');
    if (f.length < 6 || f[0] === 'gpg-pubkey') return null;
    const installed = count(f[3]);
    return softwareItem('rpm', {
      name: f[0],
      version: f[1],
      publisher: present(f[2]),
      installedAt: installed === null ? null : installed * 1000,
      sizeBytes: count(f[4]),
      arch: present(f[5]),
    });
  });
  return softwareList(rows);
}
