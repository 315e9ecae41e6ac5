import * as v from 'valibot';
import { CatalogScript } from '../../../../protocol/scripts';
import { diagnostics } from './diagnostics';
import { inventory } from './inventory';
import { maintenance } from './maintenance';
import { network } from './network';
import { security } from './security';
import { software } from './software';

/**
 * The curated scripts every tenant gets, read-only (a tenant duplicates one to change it).
 * Parsed once at load: a malformed entry fails the build's tests, not a technician's run.
 */
export const CATALOG: readonly CatalogScript[] = [...maintenance, ...diagnostics, ...security, ...software, ...inventory, ...network].map(
  (s) => v.parse(CatalogScript, s),
);

export const BUILTIN_PREFIX = 'builtin_';
export const builtinId = (slug: string) => `${BUILTIN_PREFIX}${slug}`;

const bySlug = new Map(CATALOG.map((s) => [s.slug, s]));
export function findBuiltin(id: string): CatalogScript | null {
  return id.startsWith(BUILTIN_PREFIX) ? (bySlug.get(id.slice(BUILTIN_PREFIX.length)) ?? null) : null;
}
