import { api, call, fetchAll, type Data } from '../api/client';

export type User = Data<typeof api.users.$get>['items'][number];

/** Listing users is for admins; everyone else gets an empty list and sees ids instead of names. */
export function loadUsers(): Promise<User[]> {
  return fetchAll((cursor) => call(api.users.$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } }))).catch(() => []);
}

let names: Promise<Map<string, string>> | null = null;

/** Names of users by id, loaded once per page load (they rarely change while one is open). */
export function userNames(): Promise<Map<string, string>> {
  names ??= loadUsers().then((list) => new Map(list.map((u) => [u.id, u.name])));
  return names;
}
