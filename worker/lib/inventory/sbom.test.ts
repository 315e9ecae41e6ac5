import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { SoftwareItem } from '../../../protocol/inventory';
import { buildPurl, encodePurlComponent, softwarePurl } from './purl';
import { CycloneDxBom, deviceSbom } from './sbom';

const item = (over: Partial<SoftwareItem> & Pick<SoftwareItem, 'name' | 'source'>): SoftwareItem => ({
  version: '1.0',
  publisher: null,
  installedAt: null,
  sizeBytes: null,
  arch: null,
  ...over,
});

const debian = { platform: 'linux', name: 'Debian GNU/Linux', version: '12' };
const ubuntu = { platform: 'linux', name: 'Ubuntu', version: '22.04.4 LTS' };
const rocky = { platform: 'linux', name: 'Rocky Linux', version: '9.3' };
const windows = { platform: 'win32', name: 'Microsoft Windows 11 Pro', version: '10.0.22631' };
const GENERATED = Date.UTC(2026, 10, 30, 9, 15);

describe('purl encoding', () => {
  it('leaves unreserved characters and the colon bare and encodes the rest', () => {
    expect(encodePurlComponent('a-Z_0.9~:x')).toBe('a-Z_0.9~:x');
    expect(encodePurlComponent('g++ 12/x@y?z#w%')).toBe('g%2B%2B%2012%2Fx%40y%3Fz%23w%25');
    expect(encodePurlComponent('Café')).toBe('Caf%C3%A9');
  });

  it('keeps a Debian epoch in the version and encodes +', () => {
    const p = softwarePurl(item({ name: 'libstdc++6', version: '1:2.3-4+deb12u1', source: 'dpkg', arch: 'amd64' }), debian);
    expect(p).toBe('pkg:deb/debian/libstdc%2B%2B6@1:2.3-4%2Bdeb12u1?arch=amd64&distro=debian-12');
  });

  it('names the Ubuntu vendor and lowercases deb names', () => {
    expect(softwarePurl(item({ name: 'OpenSSL', version: '3.0.2-0ubuntu1.15', source: 'dpkg', arch: 'amd64' }), ubuntu)).toBe(
      'pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.15?arch=amd64&distro=ubuntu-22.04',
    );
  });

  it('moves an rpm epoch into its own qualifier', () => {
    expect(softwarePurl(item({ name: 'openssl-libs', version: '1:3.0.7-25.el9_3', source: 'rpm', arch: 'x86_64' }), rocky)).toBe(
      'pkg:rpm/rocky/openssl-libs@3.0.7-25.el9_3?arch=x86_64&distro=rocky-9.3&epoch=1',
    );
  });

  it('uses generic purls namespaced by publisher for Windows entries, with spaces encoded', () => {
    const p = softwarePurl(item({ name: 'Microsoft Visual C++ 2015-2022 Redistributable (x64)', version: '14.38.33135.0', publisher: 'Microsoft Corporation', source: 'windows_registry' }), windows);
    expect(p).toBe('pkg:generic/microsoft-corporation/Microsoft%20Visual%20C%2B%2B%202015-2022%20Redistributable%20%28x64%29@14.38.33135.0?source=windows_registry');
  });

  it('marks Homebrew and snap packages through the source qualifier', () => {
    expect(softwarePurl(item({ name: 'python@3.12', version: '3.12.4', source: 'homebrew', arch: 'arm64' }), null)).toBe('pkg:generic/python%403.12@3.12.4?arch=arm64&source=homebrew');
    expect(softwarePurl(item({ name: 'firefox', version: '128.0', publisher: 'Mozilla✓', source: 'snap' }), ubuntu)).toBe('pkg:generic/mozilla/firefox@128.0?source=snap');
  });

  it('drops empty versions and qualifiers and sorts qualifier keys', () => {
    expect(buildPurl({ type: 'Generic', name: 'x', version: '', qualifiers: { z: '1', a: '', B: '2' } })).toBe('pkg:generic/x?b=2&z=1');
  });
});

describe('deviceSbom', () => {
  const software: SoftwareItem[] = [
    item({ name: 'zsh', version: '5.9-4+b2', source: 'dpkg', arch: 'amd64', publisher: 'Debian Zsh Maintainers', installedAt: Date.UTC(2026, 0, 2), sizeBytes: 2_500_000 }),
    item({ name: 'curl', version: '7.88.1-10+deb12u5', source: 'dpkg', arch: 'amd64' }),
    item({ name: 'Acme Agent', version: '2.0', publisher: 'Acme', source: 'windows_registry' }),
    item({ name: 'Acme Agent', version: '2.0', publisher: 'Acme', source: 'windows_registry' }),
    item({ name: 'acme agent', version: '', source: 'winget' }),
  ];
  const input = { device: { id: 'dev_1', hostname: 'web-01', os: debian }, software, generatedAt: GENERATED, toolVersion: '0.1.0' };

  it('emits the CycloneDX 1.6 fields with their types', async () => {
    const bom = await deviceSbom(input);
    const parsed = v.safeParse(CycloneDxBom, bom);
    expect(parsed.issues?.map((i) => `${v.getDotPath(i)}: ${i.message}`)).toBeUndefined();
    expect(bom).toMatchObject({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      metadata: {
        timestamp: '2026-11-30T09:15:00.000Z',
        tools: { components: [{ type: 'application', name: 'Tether', version: '0.1.0' }] },
        component: { type: 'device', name: 'web-01', 'bom-ref': 'device:dev_1' },
      },
    });
    expect(bom.components[0]).toEqual({ type: 'operating-system', 'bom-ref': 'os:dev_1', name: 'Debian GNU/Linux', version: '12' });
  });

  it('rejects output that drifts from the schema', () => {
    expect(v.safeParse(CycloneDxBom, { bomFormat: 'CycloneDX', specVersion: '1.5' }).success).toBe(false);
  });

  it('carries publisher, purl and source properties per component', async () => {
    const bom = await deviceSbom(input);
    const zsh = bom.components.find((c) => c.name === 'zsh');
    expect(zsh).toEqual({
      type: 'application',
      'bom-ref': 'pkg:deb/debian/zsh@5.9-4%2Bb2?arch=amd64&distro=debian-12',
      name: 'zsh',
      version: '5.9-4+b2',
      publisher: 'Debian Zsh Maintainers',
      purl: 'pkg:deb/debian/zsh@5.9-4%2Bb2?arch=amd64&distro=debian-12',
      properties: [
        { name: 'tether:source', value: 'dpkg' },
        { name: 'tether:arch', value: 'amd64' },
        { name: 'tether:installedAt', value: '2026-01-02T00:00:00.000Z' },
        { name: 'tether:sizeBytes', value: '2500000' },
      ],
    });
    const noVersion = bom.components.find((c) => c.name === 'acme agent');
    expect(noVersion?.version).toBeUndefined();
  });

  it('gives duplicate entries distinct bom-refs', async () => {
    const bom = await deviceSbom(input);
    const refs = [bom.metadata.component['bom-ref'], ...bom.components.map((c) => c['bom-ref'])];
    expect(new Set(refs).size).toBe(refs.length);
    expect(bom.components.filter((c) => c.purl === 'pkg:generic/acme/Acme%20Agent@2.0?source=windows_registry')).toHaveLength(2);
  });

  it('orders components the same whatever the input order, and repeats the serial number for the same export', async () => {
    const a = await deviceSbom(input);
    const b = await deviceSbom({ ...input, software: [...software].reverse() });
    expect(b).toEqual(a);
    expect(a.components.slice(1).map((c) => c.name)).toEqual(['Acme Agent', 'Acme Agent', 'acme agent', 'curl', 'zsh']);
    const later = await deviceSbom({ ...input, generatedAt: GENERATED + 1 });
    expect(later.serialNumber).not.toBe(a.serialNumber);
    expect(a.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('omits the OS component when the OS is unknown', async () => {
    const bom = await deviceSbom({ ...input, device: { id: 'dev_2', hostname: 'h', os: null }, software: [] });
    expect(bom.components).toEqual([]);
    expect(v.is(CycloneDxBom, bom)).toBe(true);
  });
});
