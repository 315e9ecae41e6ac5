/*
 * Where a version's bytes live and what its uploaded name may be. The R2 key is built from
 * ids only, so no uploaded name can reach outside the tenant's package prefix; the stored
 * file name is kept for display and for the installer's file extension, base name only.
 */

export const packageKey = (tenantId: string, packageId: string, versionId: string): string => `tenants/${tenantId}/packages/${packageId}/${versionId}`;

/** The base name of an uploaded file: no directory part (either separator), no control characters, at most 255 characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  let clean = '';
  // Whole code points, so a cut never leaves half a surrogate pair.
  for (const ch of base.replace(/[\u0000-\u001f\u007f-\u009f]/g, '')) {
    if (clean.length + ch.length > 255) break;
    clean += ch;
  }
  clean = clean.trim();
  return clean === '' || clean === '.' || clean === '..' ? 'package' : clean;
}

/** Upload parts are raw bytes, not JSON: the API's JSON body limit must not apply to them. */
export const isPackagePartUpload = (method: string, path: string): boolean =>
  method === 'PUT' && /^\/api\/v1\/packages\/[^/]+\/versions\/[^/]+\/parts\/\d+\/?$/.test(path);
