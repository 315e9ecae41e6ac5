import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunScriptParams } from '../../protocol/command';
import type { DoneFrame } from '../../protocol/agent-frames';
import { SCRIPT_EXTENSION, invocation } from './interpreters';
import { OutputCapture, type StreamName } from './output-capture';
import { describeError } from './log';
import { redactText } from './redact';
import { consoleAccount, type UserRunOptions } from './user-script';

/** After a polite SIGTERM, how long the script's process group gets before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** After the script exits, how long to wait for pipes held open by its background children. */
const PIPE_GRACE_MS = 1_000;

export type ScriptResult = Pick<DoneFrame, 'status' | 'exitCode' | 'durationMs' | 'truncated' | 'error' | 'step'>;

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

/** A run_script request; parameters, secrets and run-as may be left out (script checks). */
export type ScriptRequest = Omit<RunScriptParams, 'env' | 'secretEnv' | 'runAs'> & Partial<Pick<RunScriptParams, 'env' | 'secretEnv' | 'runAs'>>;

export interface RunOptions {
  /** Where the per-run private directory is made; the agent uses one under its state dir. */
  scratchDir?: string;
  env?: NodeJS.ProcessEnv;
  /** How a run as the logged-in user finds them and where it puts their script (user-script.ts). */
  user?: UserRunOptions;
}

/** The values of the request's secret parameters: masked in everything the run reports. */
export function secretValues(params: ScriptRequest): string[] {
  return (params.secretEnv ?? []).map((k) => params.env?.[k] ?? '').filter(Boolean);
}

export function runScript(
  params: ScriptRequest,
  onOutput: (stream: StreamName, data: string) => void,
  { scratchDir = tmpdir(), env = scriptEnv(), user = {} }: RunOptions = {},
): RunningScript {
  // A NUL cannot be passed in an environment; Node's complaint would quote the value.
  const bad = Object.keys(params.env ?? {}).find((k) => params.env![k].includes('\0'));
  if (bad) return { result: Promise.resolve({ status: 'failed', exitCode: null, durationMs: 0, truncated: false, error: `parameter ${bad} contains a NUL character` }), interrupt() {} };
  // Parameters come last: nothing the agent inherits can shadow what the technician chose.
  const runEnv = { ...env, ...params.env };
  const secrets = secretValues(params);
  if (params.runAs === 'user') return runAsConsoleUser(params, onOutput, user, runEnv, secrets);
  mkdirSync(scratchDir, { recursive: true, mode: 0o700 });
  const { dir, file } = writeScriptFile(scratchDir, params);
  return runScriptFile(params, { dir, file, env: runEnv, secrets }, onOutput);
}

/** The script text goes in a new directory only its owner can read, never on a command line. */
export function writeScriptFile(parent: string, params: Pick<ScriptRequest, 'interpreter' | 'script'>, owner?: { uid: number; gid: number }): { dir: string; file: string } {
  const dir = mkdtempSync(join(parent, owner ? 'tether-run-' : 'run-'));
  const file = join(dir, `script${SCRIPT_EXTENSION[params.interpreter]}`);
  try {
    writeFileSync(file, params.script, { mode: 0o600, flag: 'wx' });
    if (owner) {
      chownSync(file, owner.uid, owner.gid);
      chownSync(dir, owner.uid, owner.gid);
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, file };
}

/**
 * A run as whoever is logged in at the console: found first (which takes a moment), then
 * the script is written where that user can read it and runs under their uid and gid.
 */
function runAsConsoleUser(
  params: ScriptRequest,
  onOutput: (stream: StreamName, data: string) => void,
  opts: UserRunOptions,
  env: NodeJS.ProcessEnv,
  secrets: readonly string[],
): RunningScript {
  const started = Date.now();
  let current: RunningScript | null = null;
  let interrupted = false;
  const result = (async (): Promise<ScriptResult> => {
    const fail = (error: string, status: ScriptResult['status'] = 'failed'): ScriptResult => ({ status, exitCode: null, durationMs: Date.now() - started, truncated: false, error });
    const who = await consoleAccount(env, opts);
    if ('error' in who) return fail(who.error);
    if (interrupted) return fail('the agent stopped before the script ran', 'interrupted');
    let prepared: { dir: string; file: string };
    try {
      prepared = writeScriptFile(who.scratchDir, params, who.owner);
    } catch (err) {
      return fail(`cannot prepare the script for ${who.name}: ${describeError(err)}`);
    }
    current = runScriptFile(params, { ...prepared, env: who.env, secrets, ...who.owner }, onOutput);
    return current.result;
  })();
  return {
    result,
    interrupt() {
      interrupted = true;
      current?.interrupt();
    },
  };
}

export interface PreparedScript {
  dir: string;
  file: string;
  env: NodeJS.ProcessEnv;
  secrets: readonly string[];
  /** Run under this account instead of the agent's. */
  uid?: number;
  gid?: number;
}

/** Runs a script file written by writeScriptFile; its directory goes when the run ends. */
export function runScriptFile(params: ScriptRequest, p: PreparedScript, onOutput: (stream: StreamName, data: string) => void): RunningScript {
  const cleanup = () => rmSync(p.dir, { recursive: true, force: true });
  const how = invocation(params.interpreter, p.file, params.args, p.env);
  if ('error' in how) {
    cleanup();
    return { result: Promise.resolve({ status: 'failed', exitCode: null, durationMs: 0, truncated: false, error: how.error }), interrupt() {} };
  }
  return runCaptured(how.command, how.args, { cwd: p.dir, env: p.env, timeoutSeconds: params.timeoutSeconds, cleanup, secrets: p.secrets, uid: p.uid, gid: p.gid }, onOutput);
}

export interface CaptureRunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutSeconds: number;
  /** Called once the program and its output are done (removes a script's private directory). */
  cleanup?: () => void;
  /** Masked in the output and in the reported error. */
  secrets?: readonly string[];
  uid?: number;
  gid?: number;
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
  const secrets = opts.secrets ?? [];
  const capture = new OutputCapture(onOutput, { secrets });
  const cleanup = opts.cleanup ?? (() => {});
  const finish = (r: Omit<ScriptResult, 'durationMs' | 'truncated'>): ScriptResult => ({
    ...r,
    ...(r.error ? { error: redactText(r.error, secrets) } : {}),
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
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
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
