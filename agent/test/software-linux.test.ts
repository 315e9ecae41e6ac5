import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SoftwareItem } from '../../protocol/inventory';
import { dpkgListFiles, parseDpkgQuery } from '../src/parsers/software-dpkg';
import { parseRpmQuery } from '../src/parsers/software-rpm';
import { parseFlatpakList, parseHumanSize, parseSnapList } from '../src/parsers/software-snap-flatpak';
import { fixture } from './helpers/fixtures';

const valid = (items: unknown[]) => items.every((i) => v.is(SoftwareItem, i));
const find = (items: SoftwareItem[], name: string, arch?: string) => items.find((i) => i.name === name && (arch === undefined || i.arch === arch));

describe('dpkg', () => {
  const items = parseDpkgQuery(fixture('software/dpkg-query.txt'));

  it('lists installed and held packages, not removed or half-unpacked ones', () => {
    expect(valid(items)).toBe(true);
    expect(find(items, 'bash')).toEqual({
      name: 'bash',
      version: '5.2.15-2+b7',
      publisher: 'Matthias Klose',
      installedAt: null,
      sizeBytes: 7164 * 1024,
      source: 'dpkg',
      arch: 'amd64',
    });
    expect(find(items, 'linux-image-6.1.0-18-amd64')).toMatchObject({ version: '6.1.76-1' });
    expect(find(items, 'linux-image-6.1.0-13-amd64')).toBeUndefined();
    expect(find(items, 'nginx-common')).toBeUndefined();
    expect(items).toHaveLength(11);
  });

  it('keeps one package per architecture, epochs in versions, and non-ASCII maintainers', () => {
    expect(find(items, 'libc6', 'amd64')?.sizeBytes).toBe(12986 * 1024);
    expect(find(items, 'libc6', 'i386')?.sizeBytes).toBe(12573 * 1024);
    expect(find(items, 'fonts-noto-cjk')?.version).toBe('1:20220127+repack1-1');
    expect(find(items, 'ttf-mscorefonts-installer')?.publisher).toBe('Jörg Frings-Fürst');
    expect(find(items, 'zoom')?.publisher).toBe('Zoom Video Communications, Inc.');
  });

  it('leaves an empty size and maintainer unknown', () => {
    expect(find(items, 'libjs-jquery')).toMatchObject({ sizeBytes: null, publisher: null, arch: 'all' });
  });

  it('finds the file list of multi-arch packages under their qualified name first', () => {
    expect(dpkgListFiles({ name: 'libc6', arch: 'amd64' }, '/info')).toEqual(['/info/libc6:amd64.list', '/info/libc6.list']);
    expect(dpkgListFiles({ name: 'bash', arch: null }, '/info')).toEqual(['/info/bash.list']);
  });
});

describe('rpm', () => {
  const items = parseRpmQuery(fixture('software/rpm-qa.txt'));

  it('reads name, version-release, vendor, install time and size, skipping signing keys', () => {
    expect(valid(items)).toBe(true);
    expect(find(items, 'google-chrome-stable')).toEqual({
      name: 'google-chrome-stable',
      version: '124.0.6367.60-1',
      publisher: 'Google Inc.',
      installedAt: 1713456789000,
      sizeBytes: 355118213,
      source: 'rpm',
      arch: 'x86_64',
    });
    expect(find(items, 'gpg-pubkey')).toBeUndefined();
    expect(find(items, 'tzdata')?.arch).toBe('noarch');
  });

  it('turns (none) into unknown and keeps both architectures of a package', () => {
    expect(find(items, 'local-tool')).toMatchObject({ publisher: null, sizeBytes: null, installedAt: 1719999999000 });
    expect(find(items, 'glibc', 'x86_64')?.sizeBytes).toBe(6419489);
    expect(find(items, 'glibc', 'i686')?.sizeBytes).toBe(6032148);
  });

  it('keeps the first of several installed kernels, as one item per key', () => {
    expect(items.filter((i) => i.name === 'kernel')).toHaveLength(1);
    expect(find(items, 'kernel')?.version).toBe('5.14.0-427.13.1.el9_4');
    expect(items).toHaveLength(7);
  });
});

describe('snap', () => {
  it('reads the table by its header and drops publisher verification marks', () => {
    const items = parseSnapList(fixture('software/snap-list.txt'));
    expect(valid(items)).toBe(true);
    expect(items).toHaveLength(10);
    expect(find(items, 'firefox')).toEqual({ name: 'firefox', version: '124.0.1-1', publisher: 'mozilla', installedAt: null, sizeBytes: null, source: 'snap', arch: null });
    expect(find(items, 'telegram-desktop')?.publisher).toBe('telegram.desktop');
    expect(find(items, 'hello-world')?.publisher).toBe('canonical');
    expect(find(items, 'mysnap')).toMatchObject({ version: '0.1', publisher: null });
  });

  it('reads the older layout with a Developer column', () => {
    const items = parseSnapList(fixture('software/snap-list-old.txt'));
    expect(items.map((i) => [i.name, i.version, i.publisher])).toEqual([
      ['core', '16-2.35', 'canonical'],
      ['vlc', '3.0.4', 'videolan'],
    ]);
  });

  it('finds nothing in a message that is not the table', () => {
    expect(parseSnapList('No snaps are installed yet. Try \'snap install hello-world\'.\n')).toEqual([]);
  });
});

describe('flatpak', () => {
  it('reads applications with their approximate size, once each', () => {
    const items = parseFlatpakList(fixture('software/flatpak-list.txt'));
    expect(valid(items)).toBe(true);
    expect(items).toHaveLength(6);
    expect(find(items, 'org.mozilla.firefox')).toEqual({ name: 'org.mozilla.firefox', version: '124.0.2', publisher: null, installedAt: null, sizeBytes: 265_300_000, source: 'flatpak', arch: 'x86_64' });
    expect(find(items, 'org.gimp.GIMP')?.sizeBytes).toBe(1_100_000_000);
    expect(find(items, 'org.gnome.Calculator')).toMatchObject({ sizeBytes: 3_500_000, arch: 'aarch64' });
    expect(find(items, 'com.example.NoVersion')?.version).toBe('');
  });

  it('reads GLib sizes in every unit and rejects anything else', () => {
    expect(parseHumanSize('512 bytes')).toBe(512);
    expect(parseHumanSize('812 kB')).toBe(812_000);
    expect(parseHumanSize('2.5 MiB')).toBe(2_621_440);
    expect(parseHumanSize('unknown')).toBeNull();
    expect(parseHumanSize('12 parsecs')).toBeNull();
  });
});
