import type { RegistryReadParams } from '../../../protocol/command';
import { parseRegQuery } from '../parsers/reg-query';
import { firstLine, runProgram } from '../run-program';
import type { DataOutcome } from './data-command';

/**
 * The `reg query` argument vector. An empty value name means the key's default value, which
 * reg asks for with /ve. The key path travels as one argument; the protocol allows no quote in it.
 */
export function regQueryArgs(p: RegistryReadParams): string[] {
  const args = ['query', `${p.hive}\\${p.key}`];
  if (p.value === '') args.push('/ve');
  else if (p.value !== undefined) args.push('/v', p.value);
  return args;
}

export async function readRegistry(p: RegistryReadParams, platform = process.platform): Promise<DataOutcome> {
  if (platform !== 'win32') return { ok: false, error: 'the registry exists only on Windows' };
  const r = await runProgram('reg', regQueryArgs(p), { timeoutMs: 30_000 });
  if (r.code !== 0) {
    const said = firstLine(r.stderr) || firstLine(r.stdout);
    return { ok: false, error: r.error ?? (said || `reg query failed (exit ${r.code})`), exitCode: r.code, stderr: r.stderr };
  }
  const parsed = parseRegQuery(r.stdout);
  if (!parsed) return { ok: false, error: 'reg query printed nothing this agent understands' };
  return { ok: true, json: parsed };
}
