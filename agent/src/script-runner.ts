import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunScriptParams } from '../../protocol/command';
import type { DoneFrame } from '../../protocol/agent-frames';
import { SCRIPT_EXTENSION, invocation } from './interpreters';
import { OutputCapture, type StreamName } from './output-capture';
import { describeError } from './log';

/** After a polite SIGTERM, how long the script's process group gets before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** After the script exits, how long to wait for pipes held open by its background children. */
const PIPE_GRACE_MS = 1_000;

export type ScriptResult = Pick<DoneFrame, 'status' | 'exitCode' | 'durationMs' | 'truncated' | 'error'>;

export interface RunningScript {
  result: Promise<ScriptResult>;
  /** Stops the script (the agent is shutting down); it then finishes as 'interrupted'. */
  interrupt(): void;
}

/** Kills the script and everything it started: on POSIX it leads its own process group. */
function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') {
      spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' });
    } else {
      process.kill(-child.pid, signal);
    }
  } catch {
    // already gone
  }
}

/** The agent's own environment minus its settings: scripts have no business with them. */
export function scriptEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('TETHER_')) delete env[key];
  return env;
}

export interface RunOptions {
  /** Where the per-run private directory is made; the agent uses one under its state dir. */
  scratchDir?: string;
  env?: NodeJS.ProcessEnv;
}

export function runScript(
  params: RunScriptParams,
  onOutput: (stream: StreamName, data: string) => void,
  { scratchDir = tmpdir(), env = scriptEnv() }: RunOptions = {},
): RunningScript {
  // The script text goes in a file only its owner can read, never on a command line.
  mkdirSync(scratchDir, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(join(scratchDir, 'run-'));
  const file = join(dir, `script${SCRIPT_EXTENSION[params.interpreter]}`);
  writeFileSync(file, params.script, { mode: 0o600 });
  const cleanup = () => rmSync(dir, { recursive: true, force: true });

  const how = invocation(params.interpreter, file, params.args, env);
  if ('error' in how) {
    cleanup();
    return { result: Promise.resolve({ status: 'failed', exitCode: null, durationMs: 0, truncated: false, error: how.error }), interrupt() {} };
  }
  return runCaptured(how.command, how.args, { cwd: dir, env, timeoutSeconds: params.timeoutSeconds, cleanup }, onOutput);
}

export interface CaptureRunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutSeconds: number;
  /** Called once the program and its output are done (removes a script's private directory). */
  cleanup?: () => void;
}

/**
 * Runs one program with an argument vector, streaming its output as `out` chunks, with a
 * timeout that kills its whole process group. Used for scripts and for service commands.
 */
export function runCaptured(
  command: string,
  args: readonly string[],
  opts: CaptureRunOptions,
  onOutput: (stream: StreamName, data: string) => void,
): RunningScript {
  const started = Date.now();
  const capture = new OutputCapture(onOutput);
  const cleanup = opts.cleanup ?? (() => {});
  const finish = (r: Omit<ScriptResult, 'durationMs' | 'truncated'>): ScriptResult => ({
    ...r,
    durationMs: Date.now() - started,
    truncated: capture.truncated,
  });

  let child: ChildProcess;
  try {
    child = spawn(command, [...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
  } catch (err) {
    cleanup();
    return { result: Promise.resolve(finish({ status: 'failed', exitCode: null, error: describeError(err) })), interrupt() {} };
  }

  let stopReason: 'timed_out' | 'interrupted' | null = null;
  let killTimer: NodeJS.Timeout | null = null;
  const stop = (reason: 'timed_out' | 'interrupted') => {
    if (stopReason) return;
    stopReason = reason;
    killTree(child, 'SIGTERM');
    killTimer = setTimeout(() => killTree(child, 'SIGKILL'), KILL_GRACE_MS);
  };
  const timeout = setTimeout(() => stop('timed_out'), opts.timeoutSeconds * 1000);

  child.stdout!.on('data', (b: Buffer) => capture.write('stdout', b));
  child.stderr!.on('data', (b: Buffer) => capture.write('stderr', b));

  const result = new Promise<ScriptResult>((resolve) => {
    let done = false;
    const settle = (r: Omit<ScriptResult, 'durationMs' | 'truncated'>) => {
      if (done) return;
      done = true;
      clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      capture.end();
      cleanup();
      resolve(finish(r));
    };
    child.once('error', (err) => settle({ status: 'failed', exitCode: null, error: `cannot start ${command}: ${describeError(err)}` }));
    child.once('exit', (code, signal) => {
      const outcome = (): Omit<ScriptResult, 'durationMs' | 'truncated'> => {
        if (stopReason === 'timed_out') return { status: 'timed_out', exitCode: null, error: `timed out after ${opts.timeoutSeconds} s` };
        if (stopReason === 'interrupted') return { status: 'interrupted', exitCode: null, error: 'the agent stopped while the script was running' };
        if (code === 0) return { status: 'succeeded', exitCode: 0 };
        return { status: 'failed', exitCode: code, ...(signal ? { error: `killed by ${signal}` } : {}) };
      };
      // Background children may still hold the pipes: read what they wrote, but do not wait forever.
      const grace = setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        settle(outcome());
      }, PIPE_GRACE_MS);
      child.once('close', () => {
        clearTimeout(grace);
        settle(outcome());
      });
    });
  });

  return { result, interrupt: () => stop('interrupted') };
}
