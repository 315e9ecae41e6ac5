import type { RunScriptParams } from '../../../protocol/command';
import type { PreparedCommand } from './prepare';

/**
 * What an audit row says of a command: what ran and with which parameter values (secrets
 * already masked in `stored`), never the script text or its arguments, which may hold anything.
 */
export function auditDetail(prepared: PreparedCommand): Record<string, unknown> {
  const base = { type: prepared.type, label: prepared.label, scriptId: prepared.scriptId, scriptVersion: prepared.scriptVersion };
  if (prepared.type !== 'run_script') return { ...base, params: prepared.stored };
  const p = prepared.stored as RunScriptParams;
  return { ...base, interpreter: p.interpreter, args: p.args.length, env: p.env, runAs: p.runAs, timeoutSeconds: p.timeoutSeconds };
}
