import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { FakeHub, newHubIdentity } from './helpers/fake-hub';
import { runCli, tempDir } from './helpers/agent-process';

const id = newHubIdentity();
let hub: FakeHub;
const dir = tempDir();
beforeAll(async () => {
  hub = await FakeHub.start(id, { heartbeatSeconds: 42 });
});
afterAll(async () => {
  await hub.stop();
  dir.remove();
});

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('enroll', () => {
  it('sends this machine’s facts and saves a private identity', async () => {
    const state = join(dir.path, 'ok', 'state');
    const r = await runCli(['enroll', '--server', `${hub.url}/`, '--key', id.enrollKey, '--state', state]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`enrolled as device ${id.deviceId}`);

    const sent = hub.enrollBodies.at(-1) as { key: string; hostname: string; agentVersion: string; os: Record<string, string> };
    expect(sent.key).toBe(id.enrollKey);
    expect(sent.hostname).toBe(hostname());
    expect(sent.os.platform).toBe(process.platform);
    expect(sent.os.kernel.length).toBeGreaterThan(0);
    expect(sent.agentVersion).toMatch(/^\d+\.\d+\.\d+/);

    const file = join(state, 'identity.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(state).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      server: hub.url,
      deviceId: id.deviceId,
      tenantId: id.tenantId,
      deviceToken: id.token,
      signingPublicKey: id.publicKeyB64,
      heartbeatSeconds: 42,
    });

    const status = await runCli(['status', '--state', state]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('enrolled:   yes');
    expect(status.stdout).toContain(`device:     ${id.deviceId}`);
    expect(status.stdout).toContain('agent:      has not run yet');
    expect(status.stdout + status.stderr).not.toContain(id.token);

    const again = await runCli(['enroll', '--server', hub.url, '--key', id.enrollKey, '--state', state]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already enrolled');
    expect(hub.enrollBodies.length).toBe(1);

    const forced = await runCli(['enroll', '--server', hub.url, '--key', id.enrollKey, '--state', state, '--force']);
    expect(forced.code).toBe(0);
    expect(hub.enrollBodies.length).toBe(2);
  });

  it('shows the server’s message for a bad key and saves nothing', async () => {
    const state = join(dir.path, 'badkey');
    const r = await runCli(['enroll', '--server', hub.url, '--key', 'enr_wrong', '--state', state]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('enrollment refused: Enrollment key is invalid, expired or used up (invalid_enrollment_key)');
    expect(existsSync(join(state, 'identity.json'))).toBe(false);
  });

  it('says so when the server cannot be reached', async () => {
    const port = await closedPort();
    const r = await runCli(['enroll', '--server', `http://127.0.0.1:${port}`, '--key', id.enrollKey, '--state', join(dir.path, 'down')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach the server at http://127.0.0.1:${port}: connect ECONNREFUSED`);
  });

  it('reports a missing enrollment for status and run', async () => {
    const state = join(dir.path, 'none');
    const status = await runCli(['status'], { TETHER_STATE_DIR: state });
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`state dir:  ${state}`);
    expect(status.stdout).toContain('enrolled:   no');
    const run = await runCli(['run', '--state', state]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not enrolled');
  });
});
