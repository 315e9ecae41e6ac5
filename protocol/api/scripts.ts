import * as v from 'valibot';
import { ClientIds, Id, pageOf, SearchText, Timestamp } from './common';
import { CatalogScript, Platform, ScriptBody, ScriptCategory, ScriptParams, ScriptTag } from '../scripts';
import { Interpreter } from '../command';

/*
 * /api/v1/scripts — the library: the shipped catalog (read-only, ids `builtin_<slug>`) and the
 * tenant's own scripts. Every change to a tenant script's body, interpreter, parameters or
 * default timeout makes a new version; name, description, category, tags, platforms and
 * visibility are edited in place (and audited).
 */

const meta = {
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'required'), v.maxLength(100)),
  description: v.optional(v.pipe(v.string(), v.maxLength(2000)), ''),
  category: ScriptCategory,
  platforms: v.pipe(v.array(Platform), v.minLength(1, 'pick at least one platform')),
  tags: v.optional(v.pipe(v.array(ScriptTag), v.maxLength(20)), []),
  /** Clients whose technicians may see and run it; null = everyone in the tenant. */
  clientIds: v.optional(ClientIds, null),
};

export const CreateScriptBody = v.object({ ...meta, ...ScriptBody.entries, note: v.optional(v.pipe(v.string(), v.maxLength(300)), '') });
export type CreateScriptBody = v.InferOutput<typeof CreateScriptBody>;

/** Any subset; body/interpreter/params/defaultTimeoutSeconds make version n+1 (with `note`). */
export const UpdateScriptBody = v.object({
  name: v.optional(meta.name),
  description: v.optional(v.pipe(v.string(), v.maxLength(2000))),
  category: v.optional(ScriptCategory),
  platforms: v.optional(meta.platforms),
  tags: v.optional(v.pipe(v.array(ScriptTag), v.maxLength(20))),
  clientIds: v.optional(ClientIds),
  interpreter: v.optional(Interpreter),
  body: v.optional(ScriptBody.entries.body),
  params: v.optional(ScriptParams),
  defaultTimeoutSeconds: v.optional(ScriptBody.entries.defaultTimeoutSeconds),
  note: v.optional(v.pipe(v.string(), v.maxLength(300))),
});
export type UpdateScriptBody = v.InferOutput<typeof UpdateScriptBody>;

export const ScriptListQuery = v.object({
  q: SearchText,
  category: v.optional(ScriptCategory),
  platform: v.optional(Platform),
  tag: v.optional(ScriptTag),
  /** builtin | custom; both when absent. */
  source: v.optional(v.picklist(['builtin', 'custom'])),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(200))),
});

export const Script = v.object({
  id: Id,
  builtin: v.boolean(),
  name: v.string(),
  description: v.string(),
  category: ScriptCategory,
  platforms: v.array(Platform),
  tags: v.array(v.string()),
  clientIds: ClientIds,
  /** Latest version's definition. */
  version: v.number(),
  interpreter: Interpreter,
  body: v.string(),
  params: CatalogScript.entries.params,
  defaultTimeoutSeconds: v.number(),
  createdBy: v.nullable(Id),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Script = v.InferOutput<typeof Script>;
/** Lists leave out the body. */
export const ScriptSummary = v.omit(Script, ['body']);
export const ScriptPage = pageOf(ScriptSummary);

export const ScriptVersion = v.object({
  scriptId: Id,
  version: v.number(),
  interpreter: Interpreter,
  body: v.string(),
  params: CatalogScript.entries.params,
  defaultTimeoutSeconds: v.number(),
  note: v.string(),
  createdBy: v.nullable(Id),
  createdByName: v.nullable(v.string()),
  createdAt: Timestamp,
});
export type ScriptVersion = v.InferOutput<typeof ScriptVersion>;
/** GET /scripts/:id/versions: newest first, bodies included (the dashboard diffs any two). */
export const ScriptVersionList = v.object({ items: v.array(ScriptVersion) });

/** POST /scripts/:id/duplicate: a built-in (or another script) copied into an editable tenant script. */
export const DuplicateScriptBody = v.object({ name: v.optional(meta.name) });
