import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { describeError } from './log';

/*
 * Runs one OS tool with an argument vector (never a shell string) for the collectors, checks
 * and service commands. Never rejects: a missing tool, a timeout or a crash is a result, so a
 * collector that cannot run reports nothing instead of taking the agent down.
 */

export interface ProgramResult {
  /** Exit code; null when it did not start, was killed, or timed out. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it produced no exit code (not found, timeout, spawn failure). */
  error?: string;
  /** ENOENT: the tool is not installed here. */
  missing?: boolean;
  timedOut?: boolean;
}

export interface ProgramOptions {
  timeoutMs?: number;
  /** Stdout beyond this is read and dropped, so a chatty tool cannot fill memory. */
  maxBytes?: number;
  env?: NodeJS.ProcessEnv;
  /** Stops the program once this many stdout lines arrived (journalctl, log show). */
  maxLines?: number;
  onLine?: (line: string) => void;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

function kill(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' });
    else child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

export function runProgram(command: string, args: readonly string[], opts: ProgramOptions = {}): Promise<ProgramResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(command, [...args], {
        env: opts.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (err) {
      resolve({ code: null, stdout: '', stderr: '', error: describeError(err) });
      return;
    }
    const out = new StringDecoder('utf8');
    const err = new StringDecoder('utf8');
    let stdout = '';
    let stderr = '';
    let outBytes = 0;
    let partial = '';
    let lines = 0;
    let stoppedEarly = false;
    let timedOut = false;
    let settled = false;

    const takeLines = (text: string) => {
      if (!opts.onLine || stoppedEarly) return;
      partial += text;
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl).replace(/\r$/, '');
        partial = partial.slice(nl + 1);
        if (line) {
          opts.onLine(line);
          lines++;
        }
        if (opts.maxLines !== undefined && lines >= opts.maxLines) {
          stoppedEarly = true;
          partial = '';
          kill(child);
          return;
        }
      }
    };

    child.stdout!.on('data', (b: Buffer) => {
      if (outBytes >= maxBytes) return;
      const take = b.length > maxBytes - outBytes ? b.subarray(0, maxBytes - outBytes) : b;
      outBytes += take.length;
      const text = out.write(take);
      if (opts.onLine) takeLines(text);
      else stdout += text;
    });
    child.stderr!.on('data', (b: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += err.write(b);
    });

    const timer = setTimeout(() => {
      timedOut = true;
      kill(child);
    }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);

    const finish = (r: ProgramResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    child.once('error', (e) => {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      finish({ code: null, stdout, stderr, missing, error: missing ? `${command} not found` : describeError(e) });
    });
    child.once('close', (code) => {
      const tail = out.end();
      if (opts.onLine) {
        if (!stoppedEarly) takeLines(tail + '\n');
      } else {
        stdout += tail;
      }
      stderr += err.end();
      if (timedOut && !stoppedEarly) {
        finish({ code: null, stdout, stderr, timedOut: true, error: `${command} timed out after ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms` });
        return;
      }
      // Stopped on purpose after enough lines: what was read is complete for the caller.
      finish({ code: stoppedEarly ? 0 : code, stdout, stderr });
    });
  });
}

/** The first line of a tool's complaint, for logs and messages. */
export function firstLine(text: string, max = 300): string {
  return (text.split('\n').find((l) => l.trim()) ?? '').trim().slice(0, max);
}

/** Why a tool failed, in one line: its own error text when it gave one. */
export function failure(r: ProgramResult, what: string): string {
  if (r.error) return r.error;
  const said = firstLine(r.stderr) || firstLine(r.stdout);
  return `${what} failed (exit ${r.code})${said ? `: ${said}` : ''}`;
}
