import * as v from 'valibot';
import { ClientIds, Email, Id, Name, Password, Role } from './common';

export const LoginBody = v.object({
  email: Email,
  // Any length is tried at login: the policy applies when a password is set, not here.
  password: v.pipe(v.string(), v.minLength(1, 'required'), v.maxLength(1024)),
});
export type LoginBody = v.InferOutput<typeof LoginBody>;

/** The signed-in caller. role and clientIds are what this call may do (an API token's own scope). */
export const Me = v.object({
  user: v.object({ id: Id, email: v.string(), name: v.string(), role: Role, clientIds: ClientIds, tenantId: Id }),
  tenant: v.object({ id: Id, name: v.string() }),
});
export type Me = v.InferOutput<typeof Me>;

export const BootstrapStatus = v.object({ needed: v.boolean() });
export type BootstrapStatus = v.InferOutput<typeof BootstrapStatus>;

/** The first run: the MSP's tenant and its owner. */
export const BootstrapBody = v.object({ tenantName: Name, name: Name, email: Email, password: Password });
export type BootstrapBody = v.InferOutput<typeof BootstrapBody>;

export const BootstrapResult = Me;
export type BootstrapResult = v.InferOutput<typeof BootstrapResult>;
