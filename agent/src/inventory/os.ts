import si from 'systeminformation';
import { arch, release, type } from 'node:os';
import type { OsInventory } from '../../../protocol/inventory';
import { known } from '../parsers/hardware-values';
import { within } from './hardware';

type OsData = Partial<Awaited<ReturnType<typeof si.osInfo>>>;

/**
 * The OS as inventory reports it. The build is Windows' and macOS's own build number; a
 * Linux distribution has none, so its codename ("bookworm", "jammy") stands there.
 */
export function osFromSi(o: OsData | null, platform: string, installedAt: number | null): OsInventory {
  const build = platform === 'linux' ? known(o?.codename, 64) : known(o?.build, 64);
  return {
    platform: platform.slice(0, 32),
    name: known(o?.distro, 128) ?? type().slice(0, 128),
    version: known(o?.release, 64) ?? release().slice(0, 64),
    build,
    kernel: known(o?.kernel, 128) ?? release().slice(0, 128),
    arch: known(o?.arch, 32) ?? arch().slice(0, 32),
    installedAt,
  };
}

export const readOsInfo = (): Promise<OsData | null> => within(() => si.osInfo());
