import type { PatchItem } from '../../../protocol/patches';
import { patchKey } from '../../../protocol/patches';
import { patchItem, uniqueItems } from './patches-item';

/*
 * `apt-get -s dist-upgrade`: one line per package it would install or upgrade,
 *   Inst libssl3 [3.0.14-1~deb12u2] (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64]) []
 * (no bracketed old version for a package dist-upgrade would newly install, such as a new
 * kernel). An origin in a "-security" suite (Debian "Debian-Security:12/stable-security",
 * Ubuntu "Ubuntu:22.04/jammy-security") marks a security update; Debian names no severity.
 */

const INST = /^Inst (\S+) (?:\[([^\]]*)\] )?\((\S+)(?: ([^[]*?))?\s*\[([^\]]+)\]\)/;

/** Debian policy: lower-case alphanumerics and + - . (an arch qualifier for foreign packages). */
export const APT_NAME = /^[a-z0-9][a-z0-9+.-]*(?::[a-z0-9-]+)?$/;
export const APT_VERSION = /^[A-Za-z0-9][A-Za-z0-9.+~:-]*$/;

/** Packages whose new version only runs after a restart (Ubuntu's update-notifier flags the same ones). */
const NEEDS_REBOOT = /^(linux-image-|linux-signed-image-|linux-modules-|libc6(:|$)|systemd(:|$)|dbus(:|$)|intel-microcode|amd64-microcode|linux-firmware)/;

export function parseAptSimulation(text: string): PatchItem[] {
  const items: (PatchItem | null)[] = [];
  for (const line of text.split('\n')) {
    const m = INST.exec(line.trim());
    if (!m) continue;
    const [, name, installed, available, originText = '', arch] = m;
    if (!APT_NAME.test(name) || !APT_VERSION.test(available) || (installed && !APT_VERSION.test(installed))) continue;
    const origins = originText.split(',').map((o) => o.trim()).filter(Boolean);
    const security = origins.some((o) => /-security\b/i.test(o));
    items.push(
      patchItem({
        key: patchKey('apt', name, available),
        source: 'apt',
        name,
        title: `${name} ${available}${origins.length ? ` (${origins.join(', ')})` : ''} [${arch}]`,
        installedVersion: installed || null,
        availableVersion: available,
        classification: security ? 'security' : 'bugfix',
        rebootRequired: NEEDS_REBOOT.test(name),
      }),
    );
  }
  return uniqueItems(items);
}
