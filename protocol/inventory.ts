import * as v from 'valibot';

/*
 * Asset inventory as the agent reports it and the server stores it. Software items are keyed
 * by (source, name, arch): the same package twice from one source is one item.
 */

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

export const SOFTWARE_SOURCES = ['dpkg', 'rpm', 'snap', 'flatpak', 'macos_app', 'homebrew', 'windows_registry', 'winget', 'choco'] as const;
export const SoftwareSource = v.picklist(SOFTWARE_SOURCES);
export type SoftwareSource = v.InferOutput<typeof SoftwareSource>;

export const SoftwareItem = v.object({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  version: text(128),
  /** Vendor / maintainer as the source names it; null when it names none. */
  publisher: v.nullable(text(255)),
  /** ms since the epoch; null when the source does not record it. */
  installedAt: v.nullable(v.number()),
  sizeBytes: v.nullable(v.pipe(v.number(), v.minValue(0))),
  source: SoftwareSource,
  /** CPU architecture where the source has one (amd64, x86_64, arm64, all, noarch); else null. */
  arch: v.nullable(text(32)),
});
export type SoftwareItem = v.InferOutput<typeof SoftwareItem>;

/** The identity of an item across snapshots: an upgrade keeps the key and changes the version. */
export const softwareKey = (s: Pick<SoftwareItem, 'source' | 'name' | 'arch'>) => `${s.source}:${s.name}:${s.arch ?? ''}`;

/** What a change record says happened (device_changes.kind). */
export const CHANGE_KINDS = ['software_added', 'software_removed', 'software_updated', 'hardware_changed', 'os_changed'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** The operating system as inventory reports it (beyond the hello frame's os facts). */
export const OsInventory = v.object({
  /** Node's platform name: linux, darwin, win32. */
  platform: text(32),
  /** e.g. "Ubuntu", "Debian GNU/Linux", "Microsoft Windows 11 Pro", "macOS". */
  name: text(128),
  /** e.g. "22.04", "12", "10.0.22631", "14.5". */
  version: text(64),
  /** Windows build / macOS build / Linux distro codename where known. */
  build: v.nullable(text(64)),
  kernel: text(128),
  arch: text(32),
  installedAt: v.nullable(v.number()),
});
export type OsInventory = v.InferOutput<typeof OsInventory>;

/*
 * Hardware as the agent reports it. Every field the platform may not expose is nullable, so
 * "unknown" is never confused with "none". Strings are agent text: render as text only.
 */
const str = (max: number) => v.nullable(text(max));
const num = v.nullable(v.pipe(v.number(), v.minValue(0)));
const list = <T extends v.GenericSchema>(item: T, max: number) => v.pipe(v.array(item), v.maxLength(max));

export const HardwareInventory = v.object({
  system: v.object({ manufacturer: str(128), model: str(128), serial: str(128), uuid: str(64), sku: str(128), chassis: str(64) }),
  /** BIOS / UEFI firmware; releaseDate as YYYY-MM-DD when known (the device's age falls back to it). */
  bios: v.object({ vendor: str(128), version: str(128), releaseDate: str(10) }),
  baseboard: v.object({ manufacturer: str(128), model: str(128), serial: str(128), version: str(64) }),
  cpu: v.object({ manufacturer: str(64), model: str(255), cores: num, threads: num, speedMHz: num, sockets: num }),
  memory: v.object({
    totalBytes: num,
    modules: list(v.object({ slot: str(64), sizeBytes: num, speedMHz: num, type: str(32), manufacturer: str(64), partNumber: str(64), serial: str(64) }), 64),
  }),
  /** Physical disks; `smart` is the drive's own verdict where readable (e.g. "Ok", "Predicted failure"). */
  disks: list(v.object({ device: str(255), model: str(255), serial: str(128), sizeBytes: num, type: str(32), interface: str(32), smart: str(32) }), 64),
  volumes: list(v.object({ mount: text(255), fs: str(32), sizeBytes: num, usedBytes: num, label: str(128) }), 128),
  gpus: list(v.object({ vendor: str(128), model: str(255), vramBytes: num, driverVersion: str(64) }), 16),
  displays: list(v.object({ vendor: str(128), model: str(128), serial: str(64), resolution: str(32), main: v.nullable(v.boolean()) }), 16),
  nics: list(
    v.object({
      name: text(128),
      mac: str(32),
      speedMbps: num,
      type: str(32),
      virtual: v.nullable(v.boolean()),
      ipv4: list(text(64), 32),
      ipv6: list(text(64), 32),
    }),
    64,
  ),
  usb: list(v.object({ name: text(255), vendor: str(128), type: str(64), serial: str(128) }), 128),
  battery: v.nullable(
    v.object({ manufacturer: str(64), model: str(64), designCapacityWh: num, fullCapacityWh: num, cycleCount: num, healthPercent: num }),
  ),
  tpm: v.nullable(v.object({ present: v.boolean(), version: str(32), manufacturer: str(64) })),
  secureBoot: v.nullable(v.boolean()),
});
export type HardwareInventory = v.InferOutput<typeof HardwareInventory>;

/** Items per inventory frame: a big software list travels as several parts of one snapshot. */
export const MAX_INVENTORY_ITEMS_PER_FRAME = 400;
/** Parts per snapshot (200 × 400 = 80,000 items, far beyond any real machine). */
export const MAX_INVENTORY_PARTS = 200;
/** Software items one device may hold; a longer list is refused whole. */
export const MAX_SOFTWARE_ITEMS = 20_000;

/** Everything the agent collects, as one value: its hash names the snapshot. */
export interface InventorySnapshot {
  os: OsInventory;
  hardware: HardwareInventory;
  software: SoftwareItem[];
}

/** JSON with object keys sorted at every depth: two sides build equal text from equal values. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** The text a snapshot's hash is taken over: os, hardware and the software items sorted by key. */
export function inventoryHashText(s: InventorySnapshot): string {
  const keyed = s.software.map((i) => [softwareKey(i), i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${canonicalJson(s.os)}\n${canonicalJson(s.hardware)}\n${keyed.map(([, i]) => canonicalJson(i)).join('\n')}`;
}

/**
 * The snapshot's name: SHA-256 hex of inventoryHashText. The agent (node:crypto) and the
 * DeviceHub (WebCrypto) compute it the same way, so the hub can check that applying a diff
 * produced exactly the agent's snapshot. protocol/ has no DOM or Node types: the caller
 * passes its SHA-256.
 */
export async function inventoryHash(s: InventorySnapshot, sha256Hex: (text: string) => Promise<string> | string): Promise<string> {
  return sha256Hex(inventoryHashText(s));
}

export const InventoryHash = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'));

/**
 * A sortable form of a version string, so SQL can compare versions: each run of digits is
 * zero-padded to 10 places, a Debian epoch ("1:") leads, and anything after the numeric
 * head ("-1ubuntu2", "+dfsg", " beta") sorts after the bare number. "120.0.6099.71" <
 * "121" and "9.2" < "10.0" compare correctly as text.
 */
export function versionKey(version: string): string {
  const m = /^(?:(\d+):)?(.*)$/.exec(version.trim())!;
  const epoch = (m[1] ?? '0').padStart(4, '0');
  const rest = m[2].toLowerCase().replace(/\d+/g, (d) => d.replace(/^0+(?=\d)/, '').padStart(10, '0'));
  return `${epoch}!${rest}`.slice(0, 200);
}
