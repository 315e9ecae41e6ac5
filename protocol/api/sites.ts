import * as v from 'valibot';
import { Id, Name, Timestamp, pageOf } from './common';

const Address = v.pipe(v.string(), v.trim(), v.maxLength(500));

/** A location of a client; every device sits at one site. */
export const Site = v.object({
  id: Id,
  clientId: Id,
  name: v.string(),
  address: v.nullable(v.string()),
  createdAt: Timestamp,
  deviceCount: v.number(),
});
export type Site = v.InferOutput<typeof Site>;

export const SitePage = pageOf(Site);
export type SitePage = v.InferOutput<typeof SitePage>;

export const CreateSiteBody = v.object({ clientId: Id, name: Name, address: v.optional(v.nullable(Address)) });
export type CreateSiteBody = v.InferOutput<typeof CreateSiteBody>;

/** A site stays with its client: moving one would strand its devices' client. */
export const UpdateSiteBody = v.object({ name: v.optional(Name), address: v.optional(v.nullable(Address)) });
export type UpdateSiteBody = v.InferOutput<typeof UpdateSiteBody>;
