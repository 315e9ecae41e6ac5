import type { Systeminformation as Si } from 'systeminformation';
import type { HardwareInventory } from '../../../protocol/inventory';
import { amount, flag, isoDate, known, plain, stableList } from './hardware-values';

/*
 * systeminformation's answers mapped onto the inventory schema. Every input may be missing
 * (its call failed or timed out) and every field may be absent or a placeholder; what is
 * not known is null. Values that move by themselves (used space, link rate of a wireless
 * card, battery charge) are left out or coarsened: a snapshot must only change when the
 * machine did.
 */

type Hw = HardwareInventory;
type Maybe<T> = Partial<T> | null | undefined;

export interface SiHardware {
  system?: Maybe<Si.SystemData>;
  chassis?: Maybe<Si.ChassisData>;
  bios?: Maybe<Si.BiosData>;
  baseboard?: Maybe<Si.BaseboardData>;
  cpu?: Maybe<Si.CpuData>;
  /** os.totalmem(): what the OS can use, steadier than summing modules that may be unreadable. */
  totalMemBytes?: number | null;
  memLayout?: Maybe<Si.MemLayoutData>[] | null;
  diskLayout?: Maybe<Si.DiskLayoutData>[] | null;
  fsSize?: Maybe<Si.FsSizeData>[] | null;
  blockDevices?: Maybe<Si.BlockDevicesData>[] | null;
  graphics?: { controllers?: Maybe<Si.GraphicsControllerData>[]; displays?: Maybe<Si.GraphicsDisplayData>[] } | null;
  networkInterfaces?: Maybe<Si.NetworkInterfacesData>[] | null;
  /** Every address per interface (systeminformation names one of each family). */
  addresses?: Record<string, { address: string; family: string | number }[] | undefined> | null;
  usb?: Maybe<Si.UsbData>[] | null;
  battery?: Maybe<Si.BatteryData>;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** Pseudo and per-container filesystems: not volumes anyone manages, and they come and go. */
const SKIP_FS = new Set(['tmpfs', 'devtmpfs', 'overlay', 'squashfs', 'ramfs', 'proc', 'sysfs', 'efivarfs', 'fuse.snapfuse', 'autofs', 'devfs', 'nullfs']);
/** Interfaces that exist per container, VM or VPN session and appear and vanish with them. */
const EPHEMERAL_NIC = /^(veth|cali|flannel|cni|vnet|tap|lxc|docker\d|br-[0-9a-f]{12}$|utun\d|awdl\d|llw\d|anpi\d)/;

/** A sort key from some fields of an item (unknown ones sort first). */
const byFields = (...fields: string[]) => (x: object) => fields.map((f) => String((x as Record<string, unknown>)[f] ?? '')).join('|');

export function mapSystem(s: SiHardware): Hw['system'] {
  const sys = s.system ?? {};
  const chassisType = known(s.chassis?.type, 64);
  return {
    manufacturer: known(sys.manufacturer, 128),
    model: known(sys.model, 128),
    serial: known(sys.serial, 128) ?? known(s.chassis?.serial, 128),
    uuid: known(sys.uuid, 64)?.toLowerCase() ?? null,
    sku: known(sys.sku, 128) ?? known(s.chassis?.sku, 128),
    chassis: chassisType ?? (sys.virtual ? 'Virtual' : null),
  };
}

export function mapBios(s: SiHardware): Hw['bios'] {
  return { vendor: known(s.bios?.vendor, 128), version: known(s.bios?.version, 128), releaseDate: isoDate(s.bios?.releaseDate) };
}

export function mapBaseboard(s: SiHardware): Hw['baseboard'] {
  const b = s.baseboard ?? {};
  return { manufacturer: known(b.manufacturer, 128), model: known(b.model, 128), serial: known(b.serial, 128), version: known(b.version, 64) };
}

/** The rated maximum, never the current clock (it moves every second). */
export function mapCpu(s: SiHardware): Hw['cpu'] {
  const c = s.cpu ?? {};
  const model = [c.manufacturer, c.brand].filter((x) => typeof x === 'string' && x.trim()).join(' ');
  const ghz = amount((c.speedMax ?? 0) * 1000);
  return {
    manufacturer: known(c.manufacturer, 64),
    model: known(model, 255),
    cores: amount(c.physicalCores),
    threads: amount(c.cores),
    speedMHz: ghz,
    sockets: amount(c.processors),
  };
}

export function mapMemory(s: SiHardware): Hw['memory'] {
  const modules = (s.memLayout ?? []).map((m) =>
    amount(m?.size) === null
      ? null // an empty slot
      : {
          slot: plain(m!.bank, 64),
          sizeBytes: amount(m!.size),
          speedMHz: amount(m!.clockSpeed),
          type: known(m!.type, 32),
          manufacturer: known(m!.manufacturer, 64),
          partNumber: known(m!.partNum, 64),
          serial: known(m!.serialNum, 64),
        },
  );
  return { totalBytes: amount(s.totalMemBytes), modules: stableList(modules, byFields('slot', 'serial'), 64) };
}

export function mapDisks(s: SiHardware): Hw['disks'] {
  const disks = (s.diskLayout ?? []).map((d) =>
    d
      ? {
          device: known(d.device, 255),
          model: known(d.name, 255),
          serial: known(d.serialNum, 128),
          sizeBytes: amount(d.size),
          type: known(d.type, 32),
          interface: known(d.interfaceType, 32),
          smart: known(d.smartStatus, 32),
        }
      : null,
  );
  return stableList(disks, byFields('device', 'serial'), 64);
}

/** Used space rounded to whole GiB: the snapshot changes when a disk fills, not every minute. */
export function mapVolumes(s: SiHardware): Hw['volumes'] {
  const labels = new Map<string, string | null>();
  for (const b of s.blockDevices ?? []) if (b?.mount) labels.set(b.mount, known(b.label, 128));
  const volumes = (s.fsSize ?? []).map((f) => {
    const mount = known(f?.mount, 255);
    if (!f || !mount || SKIP_FS.has(String(f.type ?? '').toLowerCase()) || !amount(f.size)) return null;
    return {
      mount,
      fs: known(f.type, 32),
      sizeBytes: amount(f.size),
      usedBytes: typeof f.used === 'number' && f.used >= 0 ? Math.round(f.used / GIB) * GIB : null,
      label: labels.get(f.mount!) ?? null,
    };
  });
  return stableList(volumes, (v) => v.mount, 128);
}

export function mapGpus(s: SiHardware): Hw['gpus'] {
  const gpus = (s.graphics?.controllers ?? []).map((g) =>
    g && (known(g.model, 255) || known(g.vendor, 128))
      ? {
          vendor: known(g.vendor, 128),
          model: known(g.model, 255),
          vramBytes: amount(g.vram) === null ? null : amount(g.vram)! * MIB,
          driverVersion: known(g.driverVersion, 64),
        }
      : null,
  );
  return stableList(gpus, byFields('vendor', 'model'), 16);
}

export function mapDisplays(s: SiHardware): Hw['displays'] {
  const displays = (s.graphics?.displays ?? []).map((d) => {
    if (!d) return null;
    const x = amount(d.resolutionX) ?? amount(d.currentResX);
    const y = amount(d.resolutionY) ?? amount(d.currentResY);
    const entry = {
      vendor: known(d.vendor, 128),
      model: known(d.model, 128),
      serial: known(d.serial, 64),
      resolution: x && y ? `${x}x${y}` : null,
      main: flag(d.main),
    };
    return entry.vendor || entry.model || entry.resolution ? entry : null;
  });
  return stableList(displays, byFields('vendor', 'model', 'serial'), 16);
}

export function mapNics(s: SiHardware): Hw['nics'] {
  const nics = (s.networkInterfaces ?? []).map((n) => {
    const name = known(n?.iface, 128);
    if (!n || !name || n.internal || EPHEMERAL_NIC.test(name)) return null;
    const addrs = s.addresses?.[n.iface!] ?? [];
    const family = (f: string | number, want: 4 | 6) => f === want || f === `IPv${want}`;
    const list = (want: 4 | 6, fallback: string | undefined) => {
      const found = addrs.filter((a) => family(a.family, want)).map((a) => a.address);
      const all = found.length ? found : fallback ? [fallback] : [];
      return [...new Set(all.map((a) => a.slice(0, 64)))].sort().slice(0, 32);
    };
    const wireless = n.type === 'wireless';
    return {
      name,
      mac: known(n.mac, 32) === '00:00:00:00:00:00' ? null : known(n.mac, 32),
      // A wireless card's link rate follows the signal: only a wired speed is a property.
      speedMbps: wireless ? null : amount(n.speed),
      type: known(n.type, 32),
      virtual: flag(n.virtual),
      ipv4: list(4, n.ip4),
      ipv6: list(6, n.ip6),
    };
  });
  return stableList(nics, (n) => n.name, 64);
}

/** USB devices a person plugged in; the controllers' own root hubs are left out. */
export function mapUsb(s: SiHardware): Hw['usb'] {
  const devices = (s.usb ?? []).map((u) => {
    const name = known(u?.name, 255);
    if (!u || !name || /hub/i.test(String(u.type ?? '')) || /root hub/i.test(name)) return null;
    return { name, vendor: known(u.manufacturer, 128) ?? known(u.vendor, 128), type: known(u.type, 64), serial: known(u.serialNumber, 128) };
  });
  return stableList(devices, byFields('name', 'serial'), 128);
}

/**
 * Capacities and wear, never the charge level. Windows states capacities in mWh; macOS gives
 * mAh scaled by the present voltage, which moves with the charge, so only their ratio (the
 * health) is steady there. Linux batteries are read from sysfs instead (battery-linux.ts).
 */
export function mapBattery(s: SiHardware, platform: string): Hw['battery'] {
  const b = s.battery;
  if (!b?.hasBattery) return null;
  const design = amount(b.designedCapacity);
  const full = amount(b.maxCapacity);
  const inWh = platform === 'win32' && String(b.capacityUnit ?? '').toLowerCase() === 'mwh';
  return {
    manufacturer: known(b.manufacturer, 64),
    model: known(b.model, 64),
    designCapacityWh: inWh && design ? Math.round(design / 100) / 10 : null,
    fullCapacityWh: inWh && full ? Math.round(full / 1000) : null,
    cycleCount: amount(b.cycleCount),
    healthPercent: design && full ? Math.round((full / design) * 100) : null,
  };
}

/** What the platform readers found besides systeminformation; `battery` undefined: use systeminformation's. */
export interface PlatformHardware {
  tpm: Hw['tpm'];
  secureBoot: Hw['secureBoot'];
  battery?: Hw['battery'];
}

/** Everything systeminformation answered, with the platform readers' TPM, Secure Boot and battery. */
export function hardwareFromSi(s: SiHardware, platform: string, own: PlatformHardware): Hw {
  const unknown = UNKNOWN;
  return {
    system: part(() => mapSystem(s), unknown.system),
    bios: part(() => mapBios(s), unknown.bios),
    baseboard: part(() => mapBaseboard(s), unknown.baseboard),
    cpu: part(() => mapCpu(s), unknown.cpu),
    memory: part(() => mapMemory(s), unknown.memory),
    disks: part(() => mapDisks(s), []),
    volumes: part(() => mapVolumes(s), []),
    gpus: part(() => mapGpus(s), []),
    displays: part(() => mapDisplays(s), []),
    nics: part(() => mapNics(s), []),
    usb: part(() => mapUsb(s), []),
    battery: own.battery === undefined ? part(() => mapBattery(s, platform), null) : own.battery,
    tpm: own.tpm,
    secureBoot: own.secureBoot,
  };
}

/** A part whose answer had a shape the mapping did not expect is unknown; the rest stands. */
function part<T>(map: () => T, fallback: T): T {
  try {
    return map();
  } catch {
    return fallback;
  }
}

/** What a part is when its mapping failed: every field unknown. */
const UNKNOWN = {
  system: mapSystem({}),
  bios: mapBios({}),
  baseboard: mapBaseboard({}),
  cpu: mapCpu({}),
  memory: { totalBytes: null, modules: [] },
} satisfies Partial<Hw>;
