import { describe, expect, it } from 'vitest';
import { isPackagePartUpload, packageKey, safeFileName } from './keys';

describe('safeFileName', () => {
  it('keeps the base name only, whichever separator the directory part uses', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\Downloads\\setup.exe')).toBe('setup.exe');
    expect(safeFileName('a/b\\c/d.deb')).toBe('d.deb');
    expect(safeFileName('firefox_128.0_amd64.deb')).toBe('firefox_128.0_amd64.deb');
  });

  it('drops control characters and never answers an empty or dot name', () => {
    expect(safeFileName('in\u0000st\u001fall\u007f.msi')).toBe('install.msi');
    expect(safeFileName('x/')).toBe('package');
    expect(safeFileName('..')).toBe('package');
    expect(safeFileName('\u0001')).toBe('package');
  });

  it('cuts to 255 characters without splitting a character in two', () => {
    expect(safeFileName('a'.repeat(300))).toHaveLength(255);
    const emoji = safeFileName('😀'.repeat(200));
    expect(emoji).toHaveLength(254);
    expect(emoji.endsWith('😀')).toBe(true);
  });
});

describe('keys and paths', () => {
  it('builds the object key from ids only', () => {
    expect(packageKey('ten_1', 'pkg_2', 'pkv_3')).toBe('tenants/ten_1/packages/pkg_2/pkv_3');
  });

  it('recognises upload parts (and nothing else) as raw-byte requests', () => {
    expect(isPackagePartUpload('PUT', '/api/v1/packages/pkg_1/versions/pkv_2/parts/3')).toBe(true);
    expect(isPackagePartUpload('POST', '/api/v1/packages/pkg_1/versions/pkv_2/parts/3')).toBe(false);
    expect(isPackagePartUpload('PUT', '/api/v1/packages/pkg_1')).toBe(false);
    expect(isPackagePartUpload('PUT', '/api/v1/packages/pkg_1/versions/pkv_2/parts/3/../../x')).toBe(false);
  });
});
