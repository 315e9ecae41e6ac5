import { api, call, fetchAll, type Data } from '../api/client';
import { MAX_MEMBERS_PER_CALL } from '../../../protocol/api/groups';
import type { Device } from './devices';

/** Device groups: cut across clients and sites; several screens pick from them. */
export type Group = Data<typeof api.groups.$get>['items'][number];

export function loadGroups(): Promise<Group[]> {
  return fetchAll((cursor) => call(api.groups.$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } })));
}

/** The members the caller may see, as full device rows. */
export function loadMembers(groupId: string): Promise<Device[]> {
  return fetchAll((cursor) => call(api.devices.$get({ query: { groupId, limit: '1000', ...(cursor ? { cursor } : {}) } })));
}

export async function loadMemberIds(groupId: string): Promise<Set<string>> {
  return new Set((await loadMembers(groupId)).map((d) => d.id));
}

/** Adds in batches the API accepts; resolves to how many devices were not members yet. */
export async function addMembers(groupId: string, deviceIds: string[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < deviceIds.length; i += MAX_MEMBERS_PER_CALL) {
    const res = await call(
      api.groups[':id'].members.$post({ param: { id: groupId }, json: { deviceIds: deviceIds.slice(i, i + MAX_MEMBERS_PER_CALL) } }),
    );
    added += res.added;
  }
  return added;
}

export async function removeMember(groupId: string, deviceId: string): Promise<void> {
  await call(api.groups[':id'].members[':deviceId'].$delete({ param: { id: groupId, deviceId } }));
}
