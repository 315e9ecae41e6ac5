import { createSignal } from 'solid-js';
import { api, call, setSignedOutHandler, type Data } from '../api/client';
import { toFailure } from '../api/errors';
import { Role } from '../../../protocol/api/common';

export type Me = Data<typeof api.auth.me.$get>;

/** Who is signed in: undefined while unknown, null when signed out. */
const [me, setMe] = createSignal<Me | null | undefined>(undefined);
/** Whether the first-run form should show instead of the login form. */
const [bootstrapNeeded, setBootstrapNeeded] = createSignal(false);
const [sessionError, setSessionError] = createSignal<string | null>(null);

export { me, bootstrapNeeded, sessionError };

setSignedOutHandler(() => {
  // The session ended under us (expired, revoked, user disabled). Reloading drops every
  // cached row and open socket of it; the same URL then shows the login form.
  if (me()) location.reload();
});

async function checkBootstrap(): Promise<void> {
  try {
    const res = await call(api.bootstrap.$get());
    setBootstrapNeeded(res.needed);
  } catch {
    setBootstrapNeeded(false);
  }
}

export async function loadSession(): Promise<void> {
  setSessionError(null);
  try {
    setMe(await call(api.auth.me.$get()));
  } catch (err) {
    const failure = toFailure(err);
    if (failure.status === 401) {
      await checkBootstrap();
      setMe(null);
    } else {
      setSessionError(failure.message);
    }
  }
}

export async function login(email: string, password: string): Promise<void> {
  await call(api.auth.login.$post({ json: { email, password } }));
  await loadSession();
}

export async function createFirstTenant(body: { tenantName: string; name: string; email: string; password: string }): Promise<void> {
  await call(api.bootstrap.$post({ json: body }));
  setBootstrapNeeded(false);
  await loadSession();
}

export async function logout(): Promise<void> {
  try {
    await call(api.auth.logout.$post());
  } finally {
    // A full reload drops every cached row of the previous session.
    location.assign('/');
  }
}

// The schema lists roles from most to least powerful.
const rank = (r: Role) => Role.options.length - Role.options.indexOf(r);

/** True when the signed-in user holds `min` or a higher role (the server enforces it regardless). */
export function can(min: Role): boolean {
  const user = me()?.user;
  return !!user && rank(user.role) >= rank(min);
}

/** Roles the signed-in user may grant: never above their own. */
export function grantableRoles(): Role[] {
  const own = me()?.user.role;
  if (!own) return [];
  return Role.options.filter((r) => rank(r) <= rank(own));
}
