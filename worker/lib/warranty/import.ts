import type { WarrantyImportResult } from '../../../protocol/api/warranties';
import type { AuthContext, Db } from '../../types';
import { parseWarrantyCsv } from './csv-import';
import { devicesBySerial, normalSerial, storeRecords } from './store';

/**
 * A warranty spreadsheet: every valid row whose serial names a device the caller may see is
 * stored as that device's `csv` record (replacing the previous import's); the others are
 * reported by serial (unmatched) or by line (errors).
 */
export async function importWarrantyCsv(db: Db, auth: AuthContext, csv: string, now = Date.now()): Promise<WarrantyImportResult> {
  const { records, problems } = parseWarrantyCsv(csv, now);
  const bySerial = await devicesBySerial(db, auth.tenantId, records.map((r) => r.deviceSerial), auth);
  const rows = [];
  const unmatched: string[] = [];
  let imported = 0;
  for (const record of records) {
    const ids = bySerial.get(normalSerial(record.deviceSerial));
    if (!ids) {
      unmatched.push(record.deviceSerial);
      continue;
    }
    imported++;
    for (const deviceId of ids) rows.push({ deviceId, record });
  }
  await storeRecords(db, auth.tenantId, rows, auth.actorId);
  return { imported, unmatched, errors: problems };
}

/** The import carries a spreadsheet: it has its own body limit instead of the API's JSON one. */
export const isWarrantyImport = (method: string, path: string) => method === 'POST' && /\/api\/v1\/warranties\/import\/?$/.test(path);
