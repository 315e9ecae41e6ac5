import { eq } from 'drizzle-orm';
import { deviceInventory } from '../../../db/inventory-schema';
import type { OsInventory } from '../../../protocol/inventory';
import type { Db } from '../../types';
import { osEndOfLife, type OsEol } from './os-eol';
import { osKey } from './fleet-search';

/*
 * The EOL table lives in code, not in D1, so `os_eol` is answered in two steps: the tenant's
 * distinct operating systems (a handful) are judged here, and the ones past their end become
 * an IN list of the fleet query. A device is past its end of life once standard and any
 * extended support have both ended.
 */

const isPastEndOfLife = (eol: OsEol) => eol.status === 'end_of_life';

type OsIdentity = Pick<OsInventory, 'platform' | 'name' | 'version' | 'build'>;

export async function eolOsKeys(db: Db, tenantId: string, now: number): Promise<string[]> {
  const rows = await db.selectDistinct({ key: osKey }).from(deviceInventory).where(eq(deviceInventory.tenantId, tenantId)).all();
  return rows
    .filter(({ key }) => {
      const [platform, name, version, build] = JSON.parse(key) as (string | null)[];
      const os: OsIdentity = { platform: platform ?? '', name: name ?? '', version: version ?? '', build: build ?? null };
      return isPastEndOfLife(osEndOfLife(os, now));
    })
    .map((r) => r.key);
}

/** The view's osEndOfLife: null when the table does not know the release. */
export function endOfLifeView(os: OsIdentity, now: number) {
  const eol = osEndOfLife(os, now);
  if (!eol.product || !eol.cycle) return null;
  return {
    product: eol.product,
    cycle: eol.cycle,
    eol: eol.endsAt === null ? null : new Date(eol.endsAt).toISOString().slice(0, 10),
    isEol: isPastEndOfLife(eol),
    source: eol.source ?? '',
  };
}
