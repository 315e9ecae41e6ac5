import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invocation } from '../src/interpreters';
import { runScript } from '../src/script-runner';
import { tempDir } from './helpers/agent-process';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d.path;
}

describe('interpreters', () => {
  it('falls back from python3 to python, found on PATH without a shell', () => {
    const bin = dir();
    writeFileSync(join(bin, 'python'), '#!/bin/sh\n');
    chmodSync(join(bin, 'python'), 0o755);
    writeFileSync(join(bin, 'python3'), 'not executable');
    expect(invocation('python', '/tmp/s.py', ['a b'], { PATH: bin })).toEqual({ command: join(bin, 'python'), args: ['/tmp/s.py', 'a b'] });
  });

  it('runs PowerShell non-interactively with -File', () => {
    const bin = dir();
    writeFileSync(join(bin, 'pwsh'), '');
    chmodSync(join(bin, 'pwsh'), 0o755);
    expect(invocation('powershell', '/tmp/s.ps1', ['x'], { PATH: bin })).toEqual({
      command: join(bin, 'pwsh'),
      args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', '/tmp/s.ps1', 'x'],
    });
  });

  it('reports a missing interpreter as a failed run, not a crash', async () => {
    const r = await runScript({ interpreter: 'python', script: 'print(1)', args: [], timeoutSeconds: 5 }, () => {}, { env: { PATH: dir() } }).result;
    expect(r).toMatchObject({ status: 'failed', exitCode: null, truncated: false });
    expect(r.error).toContain('interpreter not found on PATH: python3 or python');
  });

  it('reports a failing interpreter as failed with its exit code and output', async () => {
    const chunks: string[] = [];
    const r = await runScript({ interpreter: 'sh', script: 'echo oops >&2; exit 7', args: [], timeoutSeconds: 5 }, (_s, d) => chunks.push(d)).result;
    expect(r).toMatchObject({ status: 'failed', exitCode: 7 });
    expect(chunks.join('')).toBe('oops\n');
  });
});
