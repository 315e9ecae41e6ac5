import { afterEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PowerResult } from '../../protocol/command';
import { findExecutable } from '../src/interpreters';
import { dataCommand } from '../src/system/data-command';
import { cancelPower, powerStep, schedulePower, type PowerContext } from '../src/system/power';
import { tempDir } from './helpers/agent-process';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

/**
 * A directory holding a stand-in `shutdown` that records each argv (one line, arguments
 * separated by |) and exits with `code`. It is the only directory on PATH, so the real
 * shutdown can never be reached.
 */
function fakeShutdown(code = 0, stderr = ''): { ctx: PowerContext; calls(): string[][] } {
  const d = tempDir();
  dirs.push(d);
  const log = join(d.path, 'calls.txt');
  const fake = join(d.path, 'shutdown');
  writeFileSync(fake, `#!/bin/bash\n(IFS='|'; echo "$*") >> ${log}\n${stderr ? `echo ${JSON.stringify(stderr)} >&2\n` : ''}exit ${code}\n`);
  chmodSync(fake, 0o755);
  const env = { PATH: d.path };
  expect(findExecutable('shutdown', env)).toBe(fake);
  return { ctx: { platform: 'linux', env, now: 1_000_000 }, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => l.split('|')) : []) };
}

const ok = (o: Awaited<ReturnType<typeof schedulePower>>) => {
  if (!o.ok) throw new Error(o.error);
  return v.parse(PowerResult, o.json);
};

describe('power', () => {
  it('reboots now for a zero delay', async () => {
    const f = fakeShutdown();
    expect(ok(await schedulePower({ action: 'reboot', delaySeconds: 0, message: '' }, f.ctx))).toEqual({ action: 'reboot', at: 1_000_000, message: '' });
    expect(f.calls()).toEqual([['-r', '--', 'now']]);
  });

  it('rounds the delay up to whole minutes and passes the message as one argument', async () => {
    const f = fakeShutdown();
    const message = '-k Saving is over: updates install now; back in 5 min';
    expect(ok(await schedulePower({ action: 'shutdown', delaySeconds: 61, message }, f.ctx))).toEqual({ action: 'shutdown', at: 1_000_000 + 120_000, message });
    expect(ok(await schedulePower({ action: 'reboot', delaySeconds: 60, message: 'bye' }, f.ctx)).at).toBe(1_000_000 + 60_000);
    expect(ok(await schedulePower({ action: 'reboot', delaySeconds: 1, message: '' }, f.ctx)).at).toBe(1_000_000 + 60_000);
    expect(f.calls()).toEqual([
      ['-h', '--', '+2', message],
      ['-r', '--', '+1', 'bye'],
      ['-r', '--', '+1'],
    ]);
  });

  it('cancels with shutdown -c', async () => {
    const f = fakeShutdown();
    expect(ok(await cancelPower(f.ctx))).toEqual({ action: 'cancel', at: null, message: 'cancelled any pending shutdown or reboot' });
    expect(f.calls()).toEqual([['-c']]);
  });

  it('reports a failing shutdown as failed, with its stderr', async () => {
    const f = fakeShutdown(1, 'Failed to talk to init daemon.');
    const out: { stream: string; data: string }[] = [];
    const r = await dataCommand(() => schedulePower({ action: 'reboot', delaySeconds: 300, message: '' }, f.ctx), (stream, data) => out.push({ stream, data })).result;
    expect(r).toMatchObject({ status: 'failed', exitCode: 1, error: 'shutdown -r -- +5 failed (exit 1): Failed to talk to init daemon.' });
    expect(out).toEqual([{ stream: 'stderr', data: 'Failed to talk to init daemon.\n' }]);
    const c = await dataCommand(() => cancelPower(f.ctx), () => {}).result;
    expect(c).toMatchObject({ status: 'failed', exitCode: 1, error: 'shutdown -c failed (exit 1): Failed to talk to init daemon.' });
  });

  it('succeeds with exactly one JSON document on stdout', async () => {
    const f = fakeShutdown();
    const out: { stream: string; data: string }[] = [];
    const r = await dataCommand(() => schedulePower({ action: 'shutdown', delaySeconds: 0, message: 'now' }, f.ctx), (stream, data) => out.push({ stream, data })).result;
    expect(r).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(out.map((o) => o.stream)).toEqual(['stdout']);
    expect(JSON.parse(out[0].data)).toEqual({ action: 'shutdown', at: 1_000_000, message: 'now' });
  });

  it('uses shutdown /r, /s, /t and /c on Windows', () => {
    expect(powerStep({ action: 'reboot', delaySeconds: 90, message: 'Patch Tuesday' }, 'win32', 0)).toEqual({ command: 'shutdown', args: ['/r', '/t', '90', '/c', 'Patch Tuesday'], at: 90_000 });
    expect(powerStep({ action: 'shutdown', delaySeconds: 0, message: '' }, 'win32', 5)).toEqual({ command: 'shutdown', args: ['/s', '/t', '0'], at: 5 });
    expect(powerStep({ action: 'shutdown', delaySeconds: 3600, message: 'x' }, 'darwin', 0)).toEqual({ command: 'shutdown', args: ['-h', '--', '+60', 'x'], at: 3_600_000 });
  });
});
