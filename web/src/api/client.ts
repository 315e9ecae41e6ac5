import { hc, type ClientResponse } from 'hono/client';
import type { AppType } from '@tether/types/worker/app';
import type { ClientErrorStatusCode, ServerErrorStatusCode } from 'hono/utils/http-status';
import { ApiFailure } from './errors';

let onSignedOut: () => void = () => {};

/** The session layer registers here so any 401 (an expired session) returns to the login page. */
export function setSignedOutHandler(handler: () => void): void {
  onSignedOut = handler;
}

const sessionFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, { ...init, credentials: 'same-origin' });
  if (res.status === 401) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    // A wrong password is a 401 too, and must stay on the login form with its message.
    if (!url.includes('/auth/login')) onSignedOut();
  }
  return res;
};

export const api = hc<AppType>('/api/v1', { fetch: sessionFetch });

type ErrorStatus = ClientErrorStatusCode | ServerErrorStatusCode;
/** The body of a successful response; error statuses never reach callers (they throw). */
export type Success<R> =
  R extends ClientResponse<infer O, infer S, infer _F> ? (S extends 204 ? undefined : S extends ErrorStatus ? never : O) : never;

/** Await a typed client call: the body on 2xx, an ApiFailure otherwise. */
export async function call<R extends ClientResponse<unknown, number, any>>(request: Promise<R>): Promise<Success<R>> {
  let res: R;
  try {
    res = await request;
  } catch (err) {
    throw new ApiFailure(0, 'network', 'cannot reach the server; check your connection', [], null);
  }
  if (!res.ok) throw await ApiFailure.fromResponse(res as unknown as Response);
  if (res.status === 204) return undefined as Success<R>;
  return (await res.json()) as Success<R>;
}

/** The success body type of a client endpoint function, e.g. `Data<typeof api.devices.$get>`. */
export type Data<F extends (...args: any[]) => Promise<ClientResponse<unknown, number, any>>> = Success<Awaited<ReturnType<F>>>;

/**
 * Follow `nextCursor` until the list ends. `page` gets the cursor and returns one page;
 * `onPage` sees each page as it lands so long lists render progressively.
 */
export async function fetchAll<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  onPage?: (items: T[]) => void,
): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const res = await page(cursor);
    all.push(...res.items);
    onPage?.(res.items);
    cursor = res.nextCursor ?? undefined;
  } while (cursor);
  return all;
}
