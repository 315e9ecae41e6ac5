import type { Interpreter, RunAs, RunScriptParams } from '../../../protocol/command';
import { SECRET_MASK, type ParamValues, type ScriptParam } from '../../../protocol/scripts';

/** One version of a script, built-in or the tenant's, as a run needs it. */
export interface ResolvedScript {
  id: string;
  version: number;
  name: string;
  interpreter: Interpreter;
  body: string;
  params: ScriptParam[];
  defaultTimeoutSeconds: number;
}

export interface RenderIssue {
  path: string;
  message: string;
}

export type Rendered =
  | {
      ok: true;
      /** What the agent receives (secrets in clear, inside the signed payload only). */
      params: RunScriptParams;
      /** The values as given plus defaults, secrets replaced by SECRET_MASK: for history and audit. */
      masked: Record<string, string | number | boolean>;
      /** PARAM_* → secret value; empty when the script has no secret given. */
      secrets: Record<string, string>;
    }
  | { ok: false; issues: RenderIssue[] };

export const envName = (param: string) => `PARAM_${param}`;

function check(p: ScriptParam, value: unknown): string | null {
  switch (p.type) {
    case 'string':
    case 'secret': {
      if (typeof value !== 'string') return 'must be text';
      if (p.type === 'string' && p.maxLength !== undefined && value.length > p.maxLength) return `at most ${p.maxLength} characters`;
      if (p.type === 'string' && p.pattern && !safeTest(p.pattern, value)) return `must match ${p.pattern}`;
      return null;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (p.integer && !Number.isInteger(value)) return 'must be a whole number';
      if (p.min !== undefined && value < p.min) return `at least ${p.min}`;
      if (p.max !== undefined && value > p.max) return `at most ${p.max}`;
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'choice':
      return typeof value === 'string' && p.options.includes(value) ? null : `must be one of ${p.options.join(', ')}`;
  }
}

/* Script authors write the pattern; a broken one refuses the value instead of throwing. */
function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(value);
  } catch {
    return false;
  }
}

/**
 * Checks `values` against the script's typed parameters (unknown names, types, ranges,
 * choices, required ones), fills in defaults, and renders each to a PARAM_<NAME> variable.
 */
export function renderRun(
  script: ResolvedScript,
  values: ParamValues,
  opts: { runAs?: RunAs; timeoutSeconds?: number } = {},
): Rendered {
  const issues: RenderIssue[] = [];
  const known = new Map(script.params.map((p) => [p.name, p]));
  for (const name of Object.keys(values)) {
    if (!known.has(name)) issues.push({ path: `values.${name}`, message: 'not a parameter of this script' });
  }
  const env: Record<string, string> = {};
  const secretEnv: string[] = [];
  const masked: Record<string, string | number | boolean> = {};
  const secrets: Record<string, string> = {};
  for (const p of script.params) {
    const given = values[p.name];
    const value = given !== undefined && given !== '' ? given : p.type === 'secret' ? undefined : p.default;
    if (value === undefined) {
      if (p.required) issues.push({ path: `values.${p.name}`, message: 'required' });
      continue;
    }
    const problem = check(p, value);
    if (problem) {
      issues.push({ path: `values.${p.name}`, message: problem });
      continue;
    }
    const key = envName(p.name);
    env[key] = typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
    if (p.type === 'secret') {
      secretEnv.push(key);
      secrets[key] = env[key];
      masked[p.name] = SECRET_MASK;
    } else {
      masked[p.name] = value;
    }
  }
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    params: {
      interpreter: script.interpreter,
      script: script.body,
      args: [],
      timeoutSeconds: opts.timeoutSeconds ?? script.defaultTimeoutSeconds,
      env,
      secretEnv,
      runAs: opts.runAs ?? 'system',
    },
    masked,
    secrets,
  };
}

/** RunScriptParams as history stores them: secret variables masked (an ad hoc run may have some). */
export function maskRunParams(params: RunScriptParams): RunScriptParams {
  if (!params.secretEnv.length) return params;
  const env = { ...params.env };
  for (const key of params.secretEnv) if (key in env) env[key] = SECRET_MASK;
  return { ...params, env };
}

/** Puts sealed secret values back into stored (masked) params before signing. */
export function unmaskRunParams(params: RunScriptParams, secrets: Record<string, string>): RunScriptParams {
  return { ...params, env: { ...params.env, ...secrets } };
}
