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
