import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_OUTPUT_BYTES, MAX_OUTPUT_CHUNK_BYTES, TRUNCATION_MARKER } from '../../protocol/limits';
import { enrolledRig, type Rig } from './helpers/enrolled';
import { tempDir } from './helpers/agent-process';
import { result } from './helpers/results';

let rig: Rig;
const scratch = tempDir('tether-scripts-');
beforeAll(async () => {
  rig = await enrolledRig();
  await rig.connect();
});
afterAll(async () => {
  await rig.dispose();
  scratch.remove();
});

/** Running, as opposed to gone or a zombie nobody reaped (an orphan's fate under a minimal init). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return process.platform !== 'linux';
  }
};

describe('run_script', () => {
  it('runs `uname -a` and streams its real output', async () => {
    const cmd = rig.hub.command({ params: { interpreter: 'bash', script: 'uname -a' } });
    rig.hub.sendCommand(cmd.signed);
    const r = await result(rig.hub, cmd.id);
    expect(r.done).toMatchObject({ status: 'succeeded', exitCode: 0, truncated: false });
    expect(r.stdout).toBe(execFileSync('uname', ['-a'], { encoding: 'utf8' }));
    // Received, then output, then the result, each numbered in order.
    const frames = rig.hub.framesOf(cmd.id);
    expect(frames[0].t).toBe('cmd_ack');
    expect(frames.at(-1)!.t).toBe('done');
    const fids = frames.map((f) => ('fid' in f ? f.fid : 0));
    expect(fids).toEqual([...fids].sort((a, b) => a - b));
  });

  it('passes arguments as a vector: shell syntax arrives literally and runs nothing', async () => {
    const pwned = join(scratch.path, 'pwned');
    const args = [`$(touch ${pwned}); ;|`, 'two words', "it's `id`", '--flag=*'];
    const cmd = rig.hub.command({ params: { interpreter: 'sh', script: 'for a in "$@"; do printf "[%s]\\n" "$a"; done', args } });
    rig.hub.sendCommand(cmd.signed);
    const r = await result(rig.hub, cmd.id);
    expect(r.done.status).toBe('succeeded');
    expect(r.stdout).toBe(args.map((a) => `[${a}]\n`).join(''));
    expect(existsSync(pwned)).toBe(false);
  });

  it('runs the script from a private file that is gone afterwards', async () => {
    const script = 'echo "$0"; stat -c %a "$0" "$(dirname "$0")"';
    const cmd = rig.hub.command({ params: { interpreter: 'bash', script } });
    rig.hub.sendCommand(cmd.signed);
    const r = await result(rig.hub, cmd.id);
    const [file, fileMode, dirMode] = r.stdout.trim().split('\n');
    expect(file.startsWith(join(rig.state, 'scripts') + '/')).toBe(true);
    expect([fileMode, dirMode]).toEqual(['600', '700']);
    expect(existsSync(file)).toBe(false);
  });

  it('reports stderr and a non-zero exit as failed', async () => {
    const cmd = rig.hub.command({ params: { interpreter: 'bash', script: 'echo to-out; echo to-err >&2; exit 3' } });
    rig.hub.sendCommand(cmd.signed);
    const r = await result(rig.hub, cmd.id);
    expect(r.done).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(r.stdout).toBe('to-out\n');
    expect(r.stderr).toBe('to-err\n');
  });

  it('kills the whole process group on timeout', async () => {
    const childPid = join(scratch.path, 'child.pid');
    const script = `echo begin; sleep 30 & echo $! > ${childPid}; wait; echo never`;
    const cmd = rig.hub.command({ params: { interpreter: 'bash', script, timeoutSeconds: 1 } });
    rig.hub.sendCommand(cmd.signed);
    const r = await result(rig.hub, cmd.id);
    expect(r.done).toMatchObject({ status: 'timed_out', exitCode: null });
    expect(r.done.durationMs).toBeGreaterThanOrEqual(1000);
    expect(r.done.durationMs).toBeLessThan(4000);
    expect(r.stdout).toBe('begin\n');
    const pid = Number(readFileSync(childPid, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(alive(process.pid)).toBe(true);
    // The background `sleep` was in the script's process group: it died with it.
    await new Promise((res) => setTimeout(res, 200));
    expect(alive(pid)).toBe(false);
  });

  it('truncates output over 1 MiB with the marker, in bounded chunks, and keeps draining', async () => {
    const script = 'head -c 1500000 /dev/zero | tr "\\0" "a"; echo; echo still-running >&2; exit 0';
    const cmd = rig.hub.command({ params: { interpreter: 'bash', script } });
    rig.hub.sendCommand(cmd.signed);
    const r = await result(rig.hub, cmd.id);
    expect(r.done).toMatchObject({ status: 'succeeded', exitCode: 0, truncated: true });
    const all = r.outs.map((f) => f.data).join('');
    expect(all).toBe('a'.repeat(MAX_OUTPUT_BYTES) + TRUNCATION_MARKER);
    expect(all.split(TRUNCATION_MARKER).length).toBe(2);
    for (const f of r.outs) expect(Buffer.byteLength(f.data)).toBeLessThanOrEqual(MAX_OUTPUT_CHUNK_BYTES);
    expect(r.outs.map((f) => f.seq)).toEqual(r.outs.map((_, i) => i));
  });
});
