import type * as v from 'valibot';
import type { CatalogScript } from '../../../../protocol/scripts';

/** A catalog entry as written in the category files (defaults filled in by the parse in index.ts). */
export type CatalogEntry = v.InferInput<typeof CatalogScript>;
