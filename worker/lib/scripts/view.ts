import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { scripts, scriptVersions } from '../../../db/automation-schema';
import type { Script, ScriptVersion } from '../../../protocol/api/scripts';
import type { Interpreter } from '../../../protocol/command';
import type { CatalogScript, Platform, ScriptCategory, ScriptParam } from '../../../protocol/scripts';
import { qualified } from '../sql-helpers';
import { builtinId } from './catalog';

/*
 * How the library's two sources — the shipped catalog and the tenant's rows — look in the API:
 * one Script shape, so the dashboard never needs to know where a script came from.
 */

/** Built-ins have no author, and count as written when the catalog was (epoch: they sort as oldest). */
export function builtinScript(s: CatalogScript): Script {
  return {
    id: builtinId(s.slug),
    builtin: true,
    name: s.name,
    description: s.description,
    category: s.category,
    platforms: s.platforms,
    tags: s.tags,
    clientIds: null,
    version: s.version,
    interpreter: s.interpreter,
    body: s.body,
    params: s.params,
    defaultTimeoutSeconds: s.defaultTimeoutSeconds,
    createdBy: null,
    createdAt: 0,
    updatedAt: 0,
  };
}

/** Columns of a tenant script joined with its latest version. */
export const scriptColumns = {
  id: scripts.id,
  name: scripts.name,
  description: scripts.description,
  category: scripts.category,
  platforms: scripts.platforms,
  tags: scripts.tags,
  clientIds: scripts.clientIds,
  version: scripts.version,
  createdBy: scripts.createdBy,
  createdAt: scripts.createdAt,
  updatedAt: scripts.updatedAt,
  interpreter: scriptVersions.interpreter,
  body: scriptVersions.body,
  params: scriptVersions.params,
  defaultTimeoutSeconds: scriptVersions.defaultTimeoutSeconds,
};

export interface ScriptRow {
  id: string;
  name: string;
  description: string;
  category: string;
  platforms: string[];
  tags: string[];
  clientIds: string[] | null;
  version: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  interpreter: string;
  body: string;
  params: unknown[];
  defaultTimeoutSeconds: number;
}

export function tenantScript(row: ScriptRow): Script {
  return {
    ...row,
    builtin: false,
    category: row.category as ScriptCategory,
    platforms: row.platforms as Platform[],
    clientIds: row.clientIds ?? null,
    interpreter: row.interpreter as Interpreter,
    params: row.params as ScriptParam[],
  };
}

export type ScriptSummary = Omit<Script, 'body'>;

export function summary(s: Script): ScriptSummary {
  const { body: _body, ...rest } = s;
  return rest;
}

export interface VersionRow {
  scriptId: string;
  version: number;
  interpreter: string;
  body: string;
  params: unknown[];
  defaultTimeoutSeconds: number;
  note: string;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: number;
}

export function toVersion(row: VersionRow): ScriptVersion {
  return { ...row, interpreter: row.interpreter as Interpreter, params: row.params as ScriptParam[] };
}

/** A built-in has exactly one version: the one shipped. */
export function builtinVersion(s: CatalogScript): ScriptVersion {
  return {
    scriptId: builtinId(s.slug),
    version: s.version,
    interpreter: s.interpreter,
    body: s.body,
    params: s.params,
    defaultTimeoutSeconds: s.defaultTimeoutSeconds,
    note: 'shipped with Tether',
    createdBy: null,
    createdByName: null,
    createdAt: 0,
  };
}

/**
 * The name of whoever an actor id names: a user, or the user an API token acts for
 * (rows record the audit actor, which is the token for token calls).
 */
export function actorName(actor: SQLiteColumn): SQL<string | null> {
  return sql<string | null>`COALESCE(
    (SELECT u.name FROM users u WHERE u.id = ${qualified(actor)}),
    (SELECT u.name FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ${qualified(actor)})
  )`;
}
