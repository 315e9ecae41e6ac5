import { runProgram, type ProgramResult } from './run-program';

/*
 * Windows collectors ask PowerShell for JSON. The script travels base64-encoded
 * (-EncodedCommand), so no quoting layer ever reads it, and any value that comes from
 * elsewhere (a service name, a saved record id) is passed in an environment variable the
 * script reads as data, never spliced into the script text.
 */

const PRELUDE = [
  "$ErrorActionPreference = 'Stop'",
  "$ProgressPreference = 'SilentlyContinue'",
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
].join('\n');

export function encodeCommand(script: string): string {
  return Buffer.from(`${PRELUDE}\n${script}`, 'utf16le').toString('base64');
}

export function powershellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encodeCommand(script)];
}

/** Windows PowerShell 5.1 ships with every supported Windows and has the Defender, BitLocker and NetSecurity modules. */
export function runPowerShell(script: string, opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ProgramResult> {
  return runProgram('powershell.exe', powershellArgs(script), {
    timeoutMs: opts.timeoutMs ?? 120_000,
    env: { ...process.env, ...opts.env },
  });
}

/** ConvertTo-Json output: nothing for no objects, an object for one, an array for several. */
export function parsePsJson(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) return null;
  try {
    return JSON.parse(trimmed);
  } catch {
    return null;
  }
}

export function asArray(value: unknown): Record<string, unknown>[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
  return list.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** PowerShell booleans arrive as true/false, "True"/"False", or enum numbers (1/0) depending on version. */
export function psBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === 'true' || s === '1') return true;
    if (s === 'false' || s === '0') return false;
  }
  return null;
}

export function psNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

export function psString(value: unknown, max = 255): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : undefined;
}
