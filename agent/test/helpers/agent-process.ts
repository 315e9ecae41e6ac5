import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built bundle: the tests exercise exactly what ships. */
export const BUNDLE = fileURLToPath(new URL('../../dist/tether-agent.mjs', import.meta.url));

export interface AgentProcess {
  child: ChildProcess;
  /** Everything the agent logged so far. */
  stderr(): string;
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the log contains `text`. */
  logged(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

export function startAgent(args: string[], env: NodeJS.ProcessEnv = {}): AgentProcess {
  const child = spawn(process.execPath, [BUNDLE, ...args], {
    env: { ...process.env, TETHER_STATE_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let out = '';
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
    child.emit('log');
  });
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const logged = (text: string | RegExp, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const hit = () => (typeof text === 'string' ? err.includes(text) : text.test(err));
      if (hit()) return resolve();
      const timer = setTimeout(() => reject(new Error(`agent did not log ${text} within ${timeoutMs} ms:\n${err}`)), timeoutMs);
      const check = () => {
        if (!hit()) return;
        clearTimeout(timer);
        child.off('log', check);
        resolve();
      };
      child.on('log', check);
    });
  return { child, stderr: () => err, stdout: () => out, exited, logged };
}

/** Runs one CLI command to completion. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const agent = startAgent(args, env);
  const { code } = await agent.exited;
  return { code, stdout: agent.stdout(), stderr: agent.stderr() };
}

/** Stops an agent if it is still running; used in afterEach so no test leaks a process. */
export async function stopAgent(agent: AgentProcess | null | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!agent || agent.child.exitCode !== null || agent.child.signalCode !== null) return;
  agent.child.kill(signal);
  const timer = setTimeout(() => agent.child.kill('SIGKILL'), 5_000);
  await agent.exited;
  clearTimeout(timer);
}

export function tempDir(prefix = 'tether-agent-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
