import { inventoryParts, sha256Hex } from '../../agent/src/inventory/snapshot';
import type { InventoryFrame } from '../../protocol/agent-frames';
import { inventoryHash, type HardwareInventory, type InventorySnapshot, type SoftwareItem } from '../../protocol/inventory';

/*
 * Synthetic inventories: every device has the same few well-known packages (at versions that
 * differ across the fleet, so "openssl older than 3" finds some) plus a deterministic pick
 * from a pool of generic library names, and frames built by the agent's own code.
 */

const COMMON = ['openssl', 'nginx', 'python3', 'python3-pip', 'python3-yaml', 'curl', 'git', 'vim', 'bash', 'coreutils', 'openssh-server', 'systemd', 'tzdata', 'ca-certificates'];
const WORDS = ['ssl', 'xml', 'gtk', 'qt', 'z', 'png', 'jpeg', 'ffi', 'curl', 'uuid', 'acl', 'attr', 'bz2', 'lzma', 'pcre', 'sqlite', 'glib', 'dbus', 'cap', 'nss'];
const POOL = Array.from({ length: 3000 }, (_, i) => `lib${WORDS[i % WORDS.length]}${Math.floor(i / WORDS.length)}-${i % 7}`);

/** A small deterministic PRNG, so a device's inventory is the same in every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const item = (name: string, version: string): SoftwareItem => ({
  name,
  version,
  publisher: 'Debian',
  installedAt: null,
  sizeBytes: 10_000 + (name.length * 997) % 5_000_000,
  source: 'dpkg',
  arch: 'amd64',
});

function hardware(index: number): HardwareInventory {
  return {
    system: { manufacturer: 'Dell Inc.', model: 'OptiPlex 7090', serial: `SN${String(index).padStart(6, '0')}`, uuid: null, sku: null, chassis: 'desktop' },
    bios: { vendor: 'Dell Inc.', version: '1.14.0', releaseDate: `20${18 + (index % 6)}-05-10` },
    baseboard: { manufacturer: 'Dell Inc.', model: '0K6CP', serial: null, version: null },
    cpu: { manufacturer: 'Intel', model: 'Core i7-11700', cores: 8, threads: 16, speedMHz: 2500, sockets: 1 },
    memory: { totalBytes: (index % 4 === 0 ? 8 : 16) * 2 ** 30, modules: [] },
    disks: [{ device: '/dev/nvme0n1', model: 'PM9A1', serial: `D${index}`, sizeBytes: 512e9, type: 'SSD', interface: 'NVMe', smart: 'Ok' }],
    volumes: [{ mount: '/', fs: 'ext4', sizeBytes: 500e9, usedBytes: 100e9, label: null }],
    gpus: [],
    displays: [],
    nics: [{ name: 'eth0', mac: `02:00:00:00:${(index >> 8) & 255}:${index & 255}`, speedMbps: 1000, type: 'wired', virtual: false, ipv4: [], ipv6: [] }],
    usb: [],
    battery: null,
    tpm: { present: true, version: '2.0', manufacturer: 'INTC' },
    secureBoot: true,
  };
}

/** Device `index`'s snapshot with `packages` software items. */
export function deviceSnapshot(index: number, packages: number): InventorySnapshot {
  const r = rng(index + 1);
  const software = COMMON.slice(0, packages).map((name) => {
    // One device in five still runs openssl 1.1; the rest are on 3.x.
    if (name === 'openssl') return item(name, index % 5 === 0 ? '1.1.1w-0+deb11u1' : `3.0.${11 + (index % 4)}-1~deb12u2`);
    return item(name, `${1 + Math.floor(r() * 9)}.${Math.floor(r() * 20)}.${Math.floor(r() * 10)}-1`);
  });
  const picked = new Set<number>();
  while (software.length < packages && picked.size < POOL.length) {
    const i = Math.floor(r() * POOL.length);
    if (picked.has(i)) continue;
    picked.add(i);
    software.push(item(POOL[i]!, `${Math.floor(r() * 5)}.${Math.floor(r() * 30)}-${1 + Math.floor(r() * 3)}`));
  }
  return {
    os: { platform: 'linux', name: 'Debian GNU/Linux', version: index % 3 === 0 ? '11' : '12', build: null, kernel: '6.1.0-18-amd64', arch: 'x64', installedAt: null },
    hardware: hardware(index),
    software,
  };
}

/** About `percent` % of the items changed: mostly upgrades, one removed and one added per 5. */
export function churned(s: InventorySnapshot, index: number, percent: number): InventorySnapshot {
  const n = Math.max(1, Math.round((s.software.length * percent) / 100));
  const software = [...s.software];
  for (let k = 0; k < n; k++) {
    const at = (index * 7 + k * 31) % software.length;
    const it = software[at]!;
    if (k % 5 === 3) software.splice(at, 1);
    else if (k % 5 === 4) software.push(item(`newpkg-${index}-${k}`, '1.0-1'));
    else software[at] = { ...it, version: `${it.version}+b${k + 1}` };
  }
  return { ...s, software };
}

export const hashOf = (s: InventorySnapshot) => inventoryHash(s, sha256Hex);

/** The frames the agent would send (its own part builder): full when `base` is null, else a diff against it. */
export async function framesFor(next: InventorySnapshot, base: InventorySnapshot | null, fid: () => number, collectedAt = Date.now()): Promise<InventoryFrame[]> {
  const named = async (snapshot: InventorySnapshot) => ({ hash: await hashOf(snapshot), snapshot });
  const parts = inventoryParts(await named(next), base ? await named(base) : null, collectedAt);
  // `t` and `fid` first, as the agent writes them: the hub reads them from a frame it refuses.
  return parts.map(({ t, ...rest }) => ({ t, fid: fid(), ...rest }));
}
