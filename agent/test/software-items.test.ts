import { describe, expect, it } from 'vitest';
import { MAX_SOFTWARE_ITEMS } from '../../protocol/inventory';
import { softwareItem, softwareList } from '../src/parsers/software-items';

describe('software item limits', () => {
  it('cuts over-long text and turns impossible numbers into unknown', () => {
    const item = softwareItem('rpm', { name: `  ${'n'.repeat(400)}  `, version: 'v'.repeat(200), publisher: ' ', installedAt: -5, sizeBytes: -1, arch: 'a'.repeat(40) });
    expect(item).toEqual({ name: 'n'.repeat(255), version: 'v'.repeat(128), publisher: null, installedAt: null, sizeBytes: null, source: 'rpm', arch: 'a'.repeat(32) });
    expect(softwareItem('rpm', { name: 'x', installedAt: Number.NaN, sizeBytes: Number.POSITIVE_INFINITY })).toMatchObject({ installedAt: null, sizeBytes: null, version: '' });
  });

  it('has no item without a name', () => {
    expect(softwareItem('dpkg', { name: '   ' })).toBeNull();
    expect(softwareItem('dpkg', { name: undefined })).toBeNull();
  });

  it('keeps the first item of a key and stops at the cap', () => {
    const a = softwareItem('dpkg', { name: 'a', version: '1', arch: 'amd64' });
    const again = softwareItem('dpkg', { name: 'a', version: '2', arch: 'amd64' });
    const other = softwareItem('dpkg', { name: 'a', version: '1', arch: 'i386' });
    const rpm = softwareItem('rpm', { name: 'a', version: '1', arch: 'amd64' });
    expect(softwareList([a, null, again, other, rpm]).map((i) => [i.source, i.version, i.arch])).toEqual([
      ['dpkg', '1', 'amd64'],
      ['dpkg', '1', 'i386'],
      ['rpm', '1', 'amd64'],
    ]);
    const many = Array.from({ length: MAX_SOFTWARE_ITEMS + 5 }, (_, n) => softwareItem('choco', { name: `p${n}` }));
    expect(softwareList(many)).toHaveLength(MAX_SOFTWARE_ITEMS);
  });
});
