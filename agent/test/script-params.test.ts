import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaptured, runScript, type ScriptRequest } from '../src/script-runner';
import { tempDir } from './helpers/agent-process';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d.path;
}

async function run(params: Partial<ScriptRequest> & Pick<ScriptRequest, 'script'>, user?: Parameters<typeof runScript>[2]) {
  const chunks: { stream: string; data: string }[] = [];
  const r = await runScript({ interpreter: 'bash', args: [], timeoutSeconds: 10, ...params }, (stream, data) => chunks.push({ stream, data }), { scratchDir: dir(), ...user }).result;
  const text = (s: string) => chunks.filter((c) => c.stream === s).map((c) => c.data).join('');
  return { r, chunks, stdout: text('stdout'), stderr: text('stderr') };
}

describe('script parameters', () => {
  it('passes PARAM_* variables on top of the agent environment', async () => {
    const { r, stdout } = await run({ script: 'echo "$PARAM_NAME|$PARAM_COUNT|${PATH:+has path}"', env: { PARAM_NAME: 'two words; $(rm -rf /)', PARAM_COUNT: '3' } });
    expect(r.status).toBe('succeeded');
    // A value is data: nothing in it is expanded or run.
    expect(stdout).toBe('two words; $(rm -rf /)|3|has path\n');
  });

  it('masks secret values in every chunk, also when the script prints them in pieces', async () => {
    const secret = 'S3cr3t-Passw0rd';
    const { r, chunks, stdout, stderr } = await run({
      script: 'printf "pw=%s" "${PARAM_PW:0:6}"; sleep 0.3; printf "%s\\n" "${PARAM_PW:6}"; echo "err $PARAM_PW" >&2; echo "user $PARAM_USER"',
      env: { PARAM_PW: secret, PARAM_USER: 'admin' },
      secretEnv: ['PARAM_PW'],
    });
    expect(r.status).toBe('succeeded');
    expect(stdout).toBe('pw=******\nuser admin\n');
    expect(stderr).toBe('err ******\n');
    // The pause made the script's output arrive in separate reads, so the split was real.
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.data).not.toContain(secret);
      expect(c.data).not.toContain('S3cr3t');
    }
  });

  it('refuses a value with a NUL without quoting it', async () => {
    const { r } = await run({ script: 'echo never', env: { PARAM_PW: 'abc\0hunter2' }, secretEnv: ['PARAM_PW'] });
    expect(r).toMatchObject({ status: 'failed', exitCode: null, error: 'parameter PARAM_PW contains a NUL character' });
  });

  it('masks secrets in the reported error too', async () => {
    const d = dir();
    const r = await runCaptured(join(d, 'tool-hunter2'), [], { timeoutSeconds: 5, secrets: ['hunter2'] }, () => {}).result;
    expect(r.status).toBe('failed');
    expect(r.error).toContain('tool-******');
    expect(r.error).not.toContain('hunter2');
  });
});

describe('run as the logged-in user', () => {
  it('runs under that account: uid, gid, HOME, USER, no root group', async () => {
    if (process.getuid?.() !== 0) throw new Error('this test switches accounts and must run as root');
    const { r, stdout, stderr } = await run(
      { script: 'echo "uid=$(id -u) gid=$(id -g) groups=$(id -G) home=$HOME user=$USER logname=$LOGNAME param=$PARAM_X"; pwd', env: { PARAM_X: 'y' }, runAs: 'user' },
      { user: { consoleUser: async () => 'nobody' } },
    );
    expect(stderr).toBe('');
    expect(r).toMatchObject({ status: 'succeeded', exitCode: 0 });
    const [line, cwd] = stdout.trim().split('\n');
    expect(line).toBe('uid=65534 gid=65534 groups=65534 home=/nonexistent user=nobody logname=nobody param=y');
    // The private directory the user could read is gone with the run.
    expect(cwd).toMatch(/^\/tmp\/tether-run-/);
    expect(existsSync(cwd)).toBe(false);
  });

  it('cannot read what only root can', async () => {
    const { r, stderr } = await run({ script: 'cat /etc/shadow', runAs: 'user' }, { user: { consoleUser: async () => 'nobody' } });
    expect(r).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(stderr).toContain('Permission denied');
    expect(readFileSync('/etc/shadow', 'utf8').length).toBeGreaterThan(0);
  });

  it('fails when no one is logged in, or the name has no account', async () => {
    const none = await run({ script: 'echo never', runAs: 'user' }, { user: { consoleUser: async () => null } });
    expect(none.r).toMatchObject({ status: 'failed', exitCode: null });
    expect(none.r.error).toContain('no user is logged in');
    expect(none.stdout).toBe('');
    const unknown = await run({ script: 'echo never', runAs: 'user' }, { user: { consoleUser: async () => 'no-such-user-x' } });
    expect(unknown.r.error).toBe('the logged-in user no-such-user-x has no local account record');
  });

  it('says it is not supported on Windows yet', async () => {
    const { r } = await run({ script: 'echo never', runAs: 'user' }, { user: { platform: 'win32', consoleUser: async () => 'alice' } });
    expect(r).toMatchObject({ status: 'failed', exitCode: null, error: 'running a script as the logged-in user is not supported on Windows yet' });
  });
});
