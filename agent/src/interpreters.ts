import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, extname, join } from 'node:path';
import type { Interpreter } from '../../protocol/command';

/** Looks a program up on PATH the way a shell would, without running a shell. */
export function findExecutable(name: string, env = process.env, platform = process.platform): string | null {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const exts = platform === 'win32' && !extname(name) ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        if (!statSync(candidate).isFile()) continue;
        if (platform !== 'win32') accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

const CANDIDATES: Record<Interpreter, string[]> = {
  bash: ['bash'],
  sh: ['sh'],
  python: ['python3', 'python'],
  powershell: ['pwsh', 'powershell'],
};

/** File extension some interpreters insist on (PowerShell's -File refuses anything but .ps1). */
export const SCRIPT_EXTENSION: Record<Interpreter, string> = { bash: '.sh', sh: '.sh', python: '.py', powershell: '.ps1' };

export type Invocation = { command: string; args: string[] } | { error: string };

/** The argument vector that runs `file` with `args`; no element is ever parsed by a shell. */
export function invocation(interpreter: Interpreter, file: string, args: readonly string[], env = process.env): Invocation {
  for (const name of CANDIDATES[interpreter]) {
    const command = findExecutable(name, env);
    if (!command) continue;
    const lead = interpreter === 'powershell' ? ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File'] : [];
    return { command, args: [...lead, file, ...args] };
  }
  return { error: `interpreter not found on PATH: ${CANDIDATES[interpreter].join(' or ')}` };
}
