import type * as v from 'valibot';
import type { Script, ScriptSummary, ScriptVersion, CreateScriptBody, UpdateScriptBody } from '../../../protocol/api/scripts';
import type { Platform } from '../../../protocol/scripts';
import { api, call, fetchAll } from '../api/client';

export type { Script, ScriptVersion };
export type ScriptItem = v.InferOutput<typeof ScriptSummary>;
export type ScriptDraft = v.InferInput<typeof CreateScriptBody>;
export type ScriptPatch = v.InferInput<typeof UpdateScriptBody>;

export interface ScriptQuery {
  q?: string;
  category?: string;
  platform?: string;
  tag?: string;
  source?: string;
}

/** Query strings leave out what is unset: the API treats an empty value as a filter. */
function compact(q: ScriptQuery & { cursor?: string; limit?: string }): Record<string, string> {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v)) as Record<string, string>;
}

export async function listScripts(q: ScriptQuery, cursor?: string, limit = 50): Promise<{ items: ScriptItem[]; nextCursor: string | null }> {
  return call(api.scripts.$get({ query: compact({ ...q, cursor, limit: String(limit) }) as never }));
}

/** Every script a device of `platform` can run (the run pickers want the whole list). */
export function scriptsFor(platform: Platform | null): Promise<ScriptItem[]> {
  return fetchAll((cursor) => listScripts(platform ? { platform } : {}, cursor, 200));
}

export function loadScript(id: string): Promise<Script> {
  return call(api.scripts[':id'].$get({ param: { id } }));
}

export async function loadVersions(id: string): Promise<ScriptVersion[]> {
  return (await call(api.scripts[':id'].versions.$get({ param: { id } }))).items;
}

export function createScript(json: ScriptDraft): Promise<Script> {
  return call(api.scripts.$post({ json }));
}

export function updateScript(id: string, json: ScriptPatch): Promise<Script> {
  return call(api.scripts[':id'].$patch({ param: { id }, json }));
}

export function duplicateScript(id: string, name?: string): Promise<Script> {
  return call(api.scripts[':id'].duplicate.$post({ param: { id }, json: name ? { name } : {} }));
}

export async function deleteScript(id: string): Promise<void> {
  await call(api.scripts[':id'].$delete({ param: { id } }));
}

