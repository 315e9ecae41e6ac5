import * as v from 'valibot';
import { Interpreter } from './command';
import { MAX_SCRIPT_BYTES, MAX_SCRIPT_TIMEOUT_SECONDS } from './limits';

/*
 * The script library's model, shared by the shipped catalog (worker/lib/scripts/catalog),
 * the API, the dashboard's editor and the agent tests that run the catalog's Linux scripts.
 */

export const SCRIPT_CATEGORIES = ['maintenance', 'diagnostics', 'security', 'software', 'inventory', 'network'] as const;
export const ScriptCategory = v.picklist(SCRIPT_CATEGORIES);
export type ScriptCategory = v.InferOutput<typeof ScriptCategory>;

export const PLATFORMS = ['linux', 'macos', 'windows'] as const;
export const Platform = v.picklist(PLATFORMS);
export type Platform = v.InferOutput<typeof Platform>;

/** The library's platform for an agent's reported OS ("win32", "Windows", "darwin", "linux"). */
export function platformOf(osPlatform: string | null | undefined): Platform | null {
  const p = (osPlatform ?? '').toLowerCase();
  if (!p) return null;
  if (p.startsWith('win')) return 'windows';
  if (p === 'darwin' || p.startsWith('mac')) return 'macos';
  return 'linux';
}

/** Upper-case identifier; the script reads it as $PARAM_<NAME> / $env:PARAM_<NAME> / os.environ. */
export const ParamName = v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'parameter names are upper-case letters, digits and _'));

const common = {
  name: ParamName,
  label: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)),
  description: v.optional(v.pipe(v.string(), v.maxLength(300)), ''),
  required: v.optional(v.boolean(), false),
};

/** One typed parameter. A secret never has a default and is masked everywhere after the run. */
export const ScriptParam = v.variant('type', [
  v.object({ ...common, type: v.literal('string'), default: v.optional(v.pipe(v.string(), v.maxLength(4096))), maxLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4096))), pattern: v.optional(v.pipe(v.string(), v.maxLength(200))) }),
  v.object({ ...common, type: v.literal('number'), default: v.optional(v.number()), min: v.optional(v.number()), max: v.optional(v.number()), integer: v.optional(v.boolean(), false) }),
  v.object({ ...common, type: v.literal('boolean'), default: v.optional(v.boolean()) }),
  v.object({ ...common, type: v.literal('choice'), options: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(100))), v.minLength(1), v.maxLength(50)), default: v.optional(v.pipe(v.string(), v.maxLength(100))) }),
  v.object({ ...common, type: v.literal('secret') }),
]);
export type ScriptParam = v.InferOutput<typeof ScriptParam>;
export type ScriptParamType = ScriptParam['type'];

export const ScriptParams = v.pipe(
  v.array(ScriptParam),
  v.maxLength(32),
  v.check((ps) => new Set(ps.map((p) => p.name)).size === ps.length, 'parameter names must be unique'),
  v.check((ps) => ps.every((p) => p.type !== 'choice' || p.default === undefined || p.options.includes(p.default)), 'a choice default must be one of its options'),
);

export const ScriptTag = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40), v.regex(/^[\p{L}\p{N}_.:\- ]+$/u, 'tags may hold letters, digits, space and _ . : -'));

/** What defines a script's behaviour; every change to one of these makes a new version. */
export const ScriptBody = v.object({
  interpreter: Interpreter,
  body: v.pipe(v.string(), v.minLength(1), v.maxBytes(MAX_SCRIPT_BYTES)),
  params: v.optional(ScriptParams, []),
  defaultTimeoutSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_SCRIPT_TIMEOUT_SECONDS)), 300),
});

/** A script as the catalog ships it (built-ins have ids `builtin_<slug>`; tenants' are `scr_…`). */
export const CatalogScript = v.object({
  slug: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{1,60}$/)),
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  description: v.pipe(v.string(), v.minLength(1), v.maxLength(2000)),
  category: ScriptCategory,
  platforms: v.pipe(v.array(Platform), v.minLength(1)),
  tags: v.optional(v.array(ScriptTag), []),
  /** Bumped whenever the shipped text or parameters change. */
  version: v.pipe(v.number(), v.integer(), v.minValue(1)),
  ...ScriptBody.entries,
});
export type CatalogScript = v.InferOutput<typeof CatalogScript>;

/** Values given for a run: by parameter name. Checked against the script's params by the server. */
export const ParamValues = v.pipe(
  v.record(ParamName, v.union([v.pipe(v.string(), v.maxLength(4096)), v.number(), v.boolean()])),
  v.check((r) => Object.keys(r).length <= 32, 'at most 32 values'),
);
export type ParamValues = v.InferOutput<typeof ParamValues>;

/** What history and audit show in place of a secret value. */
export const SECRET_MASK = '******';
