import * as v from 'valibot';
import { Id, LongText, Name, Timestamp, pageOf } from './common';

/** One of the MSP's customers. */
export const Client = v.object({
  id: Id,
  name: v.string(),
  notes: v.nullable(v.string()),
  createdAt: Timestamp,
  deviceCount: v.number(),
});
export type Client = v.InferOutput<typeof Client>;

export const ClientPage = pageOf(Client);
export type ClientPage = v.InferOutput<typeof ClientPage>;

export const CreateClientBody = v.object({ name: Name, notes: v.optional(v.nullable(LongText)) });
export type CreateClientBody = v.InferOutput<typeof CreateClientBody>;

export const UpdateClientBody = v.object({ name: v.optional(Name), notes: v.optional(v.nullable(LongText)) });
export type UpdateClientBody = v.InferOutput<typeof UpdateClientBody>;
