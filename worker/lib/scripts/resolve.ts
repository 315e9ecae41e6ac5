import { and, eq } from 'drizzle-orm';
import { scripts, scriptVersions } from '../../../db/automation-schema';
import type { Interpreter } from '../../../protocol/command';
import type { ScriptParam } from '../../../protocol/scripts';
import type { Db } from '../../types';
import { findBuiltin, builtinId } from './catalog';
import type { ResolvedScript } from './render';

/** A viewer limited to some clients sees a script limited to clients only when they overlap. */
export function scriptVisible(scriptClientIds: string[] | null, viewerClientIds: string[] | null): boolean {
  if (scriptClientIds === null || viewerClientIds === null) return true;
  return scriptClientIds.some((id) => viewerClientIds.includes(id));
}

/**
 * One version of a script the caller may run (the latest when `version` is absent), or null —
 * a foreign, hidden or unknown script and an unknown version look the same.
 */
export async function resolveScript(
  db: Db,
  viewer: { tenantId: string; clientIds: string[] | null },
  scriptId: string,
  version?: number,
): Promise<ResolvedScript | null> {
  const builtin = findBuiltin(scriptId);
  if (builtin) {
    if (version !== undefined && version !== builtin.version) return null;
    const { interpreter, body, params, defaultTimeoutSeconds, name } = builtin;
    return { id: builtinId(builtin.slug), version: builtin.version, name, interpreter, body, params, defaultTimeoutSeconds };
  }
  const script = await db
    .select({ name: scripts.name, version: scripts.version, clientIds: scripts.clientIds })
    .from(scripts)
    .where(and(eq(scripts.id, scriptId), eq(scripts.tenantId, viewer.tenantId)))
    .get();
  if (!script || !scriptVisible(script.clientIds ?? null, viewer.clientIds)) return null;
  const row = await db
    .select()
    .from(scriptVersions)
    .where(
      and(
        eq(scriptVersions.scriptId, scriptId),
        eq(scriptVersions.tenantId, viewer.tenantId),
        eq(scriptVersions.version, version ?? script.version),
      ),
    )
    .get();
  if (!row) return null;
  return {
    id: scriptId,
    version: row.version,
    name: script.name,
    interpreter: row.interpreter as Interpreter,
    body: row.body,
    params: row.params as ScriptParam[],
    defaultTimeoutSeconds: row.defaultTimeoutSeconds,
  };
}
