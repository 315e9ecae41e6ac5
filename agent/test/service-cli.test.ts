import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUNDLE, runCli, tempDir } from './helpers/agent-process';
import { newHubIdentity } from './helpers/fake-hub';

const dir = tempDir('tether-service-');
afterAll(() => dir.remove());
const systemd = existsSync('/run/systemd/system');

function enrolledState(): string {
  const state = join(dir.path, 'state');
  const id = newHubIdentity();
  mkdirSync(state, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(state, 'identity.json'),
    JSON.stringify({ server: 'https://rmm.example', deviceId: id.deviceId, tenantId: id.tenantId, deviceToken: id.token, signingPublicKey: id.publicKeyB64, heartbeatSeconds: 60 }),
    { mode: 0o600 },
  );
  return state;
}

// Linux is where the suite runs (CI and this project's machines).
describe('install on Linux', () => {
  it('--dry-run shows the unit for this node and this bundle, and the systemctl steps', async () => {
    const state = enrolledState();
    const r = await runCli(['install', '--dry-run', '--state', state]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# would write /etc/systemd/system/tether-agent.service');
    expect(r.stdout).toContain(`ExecStart="${process.execPath}" "${BUNDLE}" "run" "--state" "${state}"`);
    expect(r.stdout).toContain('# would run: systemctl daemon-reload');
    expect(r.stdout).toContain('# would run: systemctl enable --now tether-agent');
    expect(r.stdout.includes('systemd is not running')).toBe(!systemd);
  });

  it('writes an absolute state path even when given a relative one (services start in /)', async () => {
    const state = enrolledState();
    const r = await runCli(['install', '--dry-run', '--state', relative(process.cwd(), state)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`"run" "--state" "${state}"`);
  });

  it('without systemd, says so and installs nothing', async () => {
    const state = enrolledState();
    const before = existsSync('/etc/systemd/system/tether-agent.service');
    // With systemd present this would really install a service on the machine running the
    // tests; the dry run above covers that path, this one the detection.
    const r = systemd ? null : await runCli(['install', '--state', state]);
    if (r) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('systemd is not running on this machine');
      expect(r.stderr).toContain(`${BUNDLE} run --state ${state}`);
      expect(existsSync('/etc/systemd/system/tether-agent.service')).toBe(before);
    }
    const status = await runCli(['status', '--state', state]);
    expect(status.stdout).toMatch(/service: +(not installed|installed \(systemd not running\)|\w+ \(systemd\))/);
  });
});
