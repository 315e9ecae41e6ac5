import * as v from 'valibot';

/*
 * Building blocks of the REST API's bodies and answers, shared by the Worker (which
 * validates with them) and the dashboard (which builds its forms and parses answers with them).
 */

/** The MSP's own people, most powerful first. */
export const StaffRole = v.picklist(['owner', 'admin', 'technician', 'readonly']);
export type StaffRole = v.InferOutput<typeof StaffRole>;
/** `client`: a portal user of exactly one client, below every staff role and refused on staff routes. */
export const Role = v.picklist([...StaffRole.options, 'client']);
export type Role = v.InferOutput<typeof Role>;

/** An id as the API issues it. Anything else simply is not found. */
export const Id = v.pipe(v.string(), v.minLength(1, 'required'), v.maxLength(64));

export const IdParam = v.object({ id: Id });

export const Name = v.pipe(v.string(), v.trim(), v.minLength(1, 'required'), v.maxLength(120));

/** Emails are compared lower-cased, so one address cannot hold two accounts. */
export const Email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email('not an email address'));

export const Password = v.pipe(v.string(), v.minLength(12, 'at least 12 characters'), v.maxLength(256));

export const LongText = v.pipe(v.string(), v.maxLength(10_000));

/** Milliseconds since the epoch. */
export const Timestamp = v.number();

/** The clients a user or token is limited to; null = every client of the tenant. */
// Queries pass the list as one JSON parameter; 500 bounds the size of a user or token row.
export const ClientIds = v.nullable(v.pipe(v.array(Id), v.maxLength(500)));

/** A list answer: one page of items and the cursor of the next page (null on the last). */
export function pageOf<T extends v.GenericSchema>(item: T) {
  return v.object({ items: v.array(item), nextCursor: v.nullable(v.string()) });
}

/** Free-text filter of list endpoints. */
export const SearchText = v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100)));

export const ErrorBody = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
    issues: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
  }),
});
export type ErrorBody = v.InferOutput<typeof ErrorBody>;
